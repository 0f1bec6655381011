/* In-process req/rep round trips on libnng: the yardstick for `nngcat bench
 * reqrep`. The rep side answers from aio callbacks; the req side sends and
 * receives through an aio it waits on. Prints the median round trip in µs.
 * usage: reqrep URL COUNT SIZE */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static nng_socket rep;
static nng_aio *rep_aio;
static int rep_sending;

static void die(const char *what, int rv) { fprintf(stderr, "reqrep: %s: %s\n", what, nng_strerror(rv)); exit(1); }

static void rep_cb(void *arg) {
    (void)arg;
    if (nng_aio_result(rep_aio) != 0) return;
    if (rep_sending) {
        rep_sending = 0;
        nng_recv_aio(rep, rep_aio);
    } else {
        rep_sending = 1;   /* the request goes straight back as the reply */
        nng_send_aio(rep, rep_aio);
    }
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: reqrep URL COUNT SIZE\n"); return 2; }
    long count = atol(argv[2]);
    size_t size = (size_t)atol(argv[3]);
    nng_socket req;
    nng_aio *aio;
    int rv;
    if ((rv = nng_rep0_open(&rep)) != 0) die("open rep", rv);
    if ((rv = nng_req0_open(&req)) != 0) die("open req", rv);
    if ((rv = nng_listen(rep, argv[1], NULL, 0)) != 0) die("listen", rv);
    if ((rv = nng_dial(req, argv[1], NULL, 0)) != 0) die("dial", rv);
    if ((rv = nng_aio_alloc(&rep_aio, rep_cb, NULL)) != 0) die("aio", rv);
    if ((rv = nng_aio_alloc(&aio, NULL, NULL)) != 0) die("aio", rv);
    nng_recv_aio(rep, rep_aio);
    double *samples = malloc(sizeof(double) * (size_t)count);
    for (long i = 0; i < count; i++) {
        nng_msg *msg;
        if ((rv = nng_msg_alloc(&msg, size)) != 0) die("alloc", rv);
        memset(nng_msg_body(msg), 'x', size);
        double start = now_us();
        nng_aio_set_msg(aio, msg);
        nng_send_aio(req, aio);
        nng_aio_wait(aio);
        if ((rv = nng_aio_result(aio)) != 0) die("send", rv);
        nng_recv_aio(req, aio);
        nng_aio_wait(aio);
        if ((rv = nng_aio_result(aio)) != 0) die("recv", rv);
        nng_msg_free(nng_aio_get_msg(aio));
        samples[i] = now_us() - start;
    }
    qsort(samples, (size_t)count, sizeof(double), compare);
    printf("%.1f\n", samples[count / 2]);
    return 0;
}
