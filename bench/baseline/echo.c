/* The C yardstick for `nngcat listen --rep --echo`: a rep socket listening on
 * URL, CONTEXTS contexts each sending every request straight back from its
 * aio completion callback. Runs until killed.
 * usage: echo URL CONTEXTS */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/util/platform.h>
#include <stdio.h>
#include <stdlib.h>

struct worker {
    nng_ctx ctx;
    nng_aio *aio;
    int sending;
};

static void die(const char *what, int rv) { fprintf(stderr, "echo: %s: %s\n", what, nng_strerror(rv)); exit(1); }

static void done(void *arg) {
    struct worker *w = arg;
    if (nng_aio_result(w->aio) != 0) {
        if (w->sending) nng_msg_free(nng_aio_get_msg(w->aio));
        w->sending = 0;
        nng_ctx_recv(w->ctx, w->aio);
        return;
    }
    w->sending = !w->sending;
    if (w->sending) nng_ctx_send(w->ctx, w->aio); /* the request is the reply */
    else nng_ctx_recv(w->ctx, w->aio);
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: echo URL CONTEXTS\n"); return 2; }
    int contexts = atoi(argv[2]), rv;
    nng_socket rep;
    if (contexts < 1) { fprintf(stderr, "echo: CONTEXTS must be at least 1\n"); return 2; }
    if ((rv = nng_rep0_open(&rep)) != 0) die("open", rv);
    if ((rv = nng_listen(rep, argv[1], NULL, 0)) != 0) die("listen", rv);
    struct worker *workers = calloc((size_t)contexts, sizeof *workers);
    for (int i = 0; i < contexts; i++) {
        if ((rv = nng_ctx_open(&workers[i].ctx, rep)) != 0) die("context", rv);
        if ((rv = nng_aio_alloc(&workers[i].aio, done, &workers[i])) != 0) die("aio", rv);
        nng_ctx_recv(workers[i].ctx, workers[i].aio);
    }
    for (;;) nng_msleep(1000);
}
