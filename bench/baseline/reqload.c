/* Concurrent requesters for bench/run: THREADS threads, each with its own req
 * context on one socket dialing URL, send COUNT requests of SIZE bytes in
 * all, one at a time per thread, and wait for each reply. Prints requests/s
 * (replies received ÷ seconds from the first request to the last reply);
 * exits 3 if a reply did not come within 10 s.
 * usage: reqload URL COUNT THREADS SIZE */
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static nng_socket req;
static long per_thread, extra;
static size_t size;
static long answered;
static int timed_out;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;

static void die(const char *what, int rv) { fprintf(stderr, "reqload: %s: %s\n", what, nng_strerror(rv)); exit(1); }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *client(void *arg) {
    long times = per_thread + ((long)(intptr_t)arg < extra ? 1 : 0), done = 0;
    nng_ctx ctx;
    nng_aio *aio;
    int rv;
    if ((rv = nng_ctx_open(&ctx, req)) != 0) die("context", rv);
    if ((rv = nng_aio_alloc(&aio, NULL, NULL)) != 0) die("aio", rv);
    nng_aio_set_timeout(aio, 10000);
    for (; done < times; done++) {
        nng_msg *msg;
        if ((rv = nng_msg_alloc(&msg, size)) != 0) die("alloc", rv);
        memset(nng_msg_body(msg), 'x', size);
        nng_aio_set_msg(aio, msg);
        nng_ctx_send(ctx, aio);
        nng_aio_wait(aio);
        if (nng_aio_result(aio) != 0) { nng_msg_free(msg); break; }
        nng_ctx_recv(ctx, aio);
        nng_aio_wait(aio);
        if (nng_aio_result(aio) != 0) break;
        nng_msg_free(nng_aio_get_msg(aio));
    }
    pthread_mutex_lock(&mtx);
    answered += done;
    if (done < times) timed_out = 1;
    pthread_mutex_unlock(&mtx);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: reqload URL COUNT THREADS SIZE\n"); return 2; }
    long count = atol(argv[2]);
    int threads = atoi(argv[3]), rv;
    size = (size_t)atol(argv[4]);
    if (count < 1 || threads < 1) { fprintf(stderr, "reqload: COUNT and THREADS must be at least 1\n"); return 2; }
    per_thread = count / threads;
    extra = count % threads;
    if ((rv = nng_req0_open(&req)) != 0) die("open", rv);
    /* The server may still be starting: keep dialing in the background. */
    if ((rv = nng_dial(req, argv[1], NULL, NNG_FLAG_NONBLOCK)) != 0) die("dial", rv);
    pthread_t ids[threads];
    double start = now();
    for (int i = 0; i < threads; i++) pthread_create(&ids[i], NULL, client, (void *)(intptr_t)i);
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    double seconds = now() - start;
    printf("%.1f\n", (double)answered / seconds);
    if (timed_out) fprintf(stderr, "reqload: %ld of %ld replies\n", answered, count);
    return timed_out ? 3 : 0;
}
