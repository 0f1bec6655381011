#ifndef NNGCAT_CNNG_SHIM_H
#define NNGCAT_CNNG_SHIM_H

#include <nng/nng.h>
#include <nng/protocol/bus0/bus.h>
#include <nng/protocol/pair0/pair.h>
#include <nng/protocol/pair1/pair.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/survey0/survey.h>
#include <nng/protocol/survey0/respond.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/supplemental/util/platform.h>

// NNG_E* import as an enum with a UInt32 raw value, while every function
// returns int: re-export the codes we name as plain ints.
static const int CNNG_ETIMEDOUT = NNG_ETIMEDOUT;
static const int CNNG_ECANCELED = NNG_ECANCELED;
static const int CNNG_ECLOSED = NNG_ECLOSED;
static const int CNNG_EAGAIN = NNG_EAGAIN;
static const int CNNG_ECONNREFUSED = NNG_ECONNREFUSED;
static const int CNNG_EADDRINUSE = NNG_EADDRINUSE;
static const int CNNG_EADDRINVAL = NNG_EADDRINVAL;
static const int CNNG_EINVAL = NNG_EINVAL;
static const int CNNG_ENOTSUP = NNG_ENOTSUP;
static const int CNNG_ESTATE = NNG_ESTATE;
static const int CNNG_ENOENT = NNG_ENOENT;
static const int CNNG_EMSGSIZE = NNG_EMSGSIZE;
static const int CNNG_ECONNRESET = NNG_ECONNRESET;
static const int CNNG_ECONNSHUT = NNG_ECONNSHUT;
static const int CNNG_ECONNABORTED = NNG_ECONNABORTED;
static const int CNNG_EPEERAUTH = NNG_EPEERAUTH;
static const int CNNG_ECRYPTO = NNG_ECRYPTO;
static const int CNNG_ENOMEM = NNG_ENOMEM;
static const int CNNG_EBADTYPE = NNG_EBADTYPE;
static const int CNNG_EREADONLY = NNG_EREADONLY;
static const int CNNG_EWRITEONLY = NNG_EWRITEONLY;
static const int CNNG_EPROTO = NNG_EPROTO;
static const int CNNG_EUNREACHABLE = NNG_EUNREACHABLE;
static const int CNNG_ENOFILES = NNG_ENOFILES;
static const int CNNG_EPERM = NNG_EPERM;

// Flags import as UInt32 while the flags parameters are int.
static const int CNNG_FLAG_NONBLOCK = NNG_FLAG_NONBLOCK;
static const int CNNG_FLAG_ALLOC = NNG_FLAG_ALLOC;

#endif
