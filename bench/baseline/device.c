/* The C yardstick for `nngcat proxy pipeline` in bench/run:
 *   device IN_URL OUT_URL   a raw pull0 listening on IN_URL and a raw push0
 *                           dialing OUT_URL, joined by nng_device until killed
 * Not part of the product. Build: cc -O2 -o device device.c -lnng */
#include <nng/nng.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pipeline0/pull.h>
#include <stdio.h>
#include <stdlib.h>

static void die(const char *what, int rv) { fprintf(stderr, "device: %s: %s\n", what, nng_strerror(rv)); exit(1); }

int main(int argc, char **argv) {
    nng_socket in, out;
    int rv;
    if (argc != 3) { fprintf(stderr, "usage: device IN_URL OUT_URL\n"); return 2; }
    if ((rv = nng_pull0_open_raw(&in)) != 0) die("nng_pull0_open_raw", rv);
    if ((rv = nng_push0_open_raw(&out)) != 0) die("nng_push0_open_raw", rv);
    if ((rv = nng_listen(in, argv[1], NULL, 0)) != 0) die("listen", rv);
    if ((rv = nng_dial(out, argv[2], NULL, NNG_FLAG_NONBLOCK)) != 0) die("dial", rv);
    rv = nng_device(in, out);
    die("nng_device", rv);
    return 1;
}
