// Moves N 16-byte messages push -> pull inside one process, the lean way:
// each aio's completion callback starts the next operation at once, so no
// thread waits per message. The baseline for bench/core-stream.sh.
//
// usage: c_stream URL COUNT     prints messages per second on stdout
#include <nng/nng.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { BODY = 16 };

static nng_socket push, pull;
static nng_aio *send_aio, *recv_aio;
static long total, sent, received;
static int failure;
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static int done;

static void fatal(const char *what, int rv) {
    fprintf(stderr, "c_stream: %s: %s\n", what, nng_strerror(rv));
    exit(1);
}

static void finish(int rv) {
    pthread_mutex_lock(&done_lock);
    if (rv != 0 && failure == 0) failure = rv;
    done = 1;
    pthread_cond_signal(&done_cond);
    pthread_mutex_unlock(&done_lock);
}

// Sends the next message; called once to start and then from each send completion.
static void send_next(void) {
    nng_msg *msg;
    int rv = nng_msg_alloc(&msg, BODY);
    if (rv != 0) { finish(rv); return; }
    memcpy(nng_msg_body(msg), &sent, sizeof sent);
    nng_aio_set_msg(send_aio, msg);
    nng_send_aio(push, send_aio);
}

static void send_done(void *arg) {
    (void) arg;
    int rv = nng_aio_result(send_aio);
    if (rv != 0) {
        nng_msg_free(nng_aio_get_msg(send_aio));
        nng_aio_set_msg(send_aio, NULL);
        finish(rv);
        return;
    }
    if (++sent < total) send_next();
}

static void recv_done(void *arg) {
    (void) arg;
    int rv = nng_aio_result(recv_aio);
    if (rv != 0) { finish(rv); return; }
    nng_msg *msg = nng_aio_get_msg(recv_aio);
    nng_aio_set_msg(recv_aio, NULL);
    long sequence;
    memcpy(&sequence, nng_msg_body(msg), sizeof sequence);
    nng_msg_free(msg);
    if (sequence != received) { fprintf(stderr, "c_stream: got %ld, expected %ld\n", sequence, received); finish(NNG_EPROTO); return; }
    if (++received < total) nng_recv_aio(pull, recv_aio);
    else finish(0);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: c_stream URL COUNT\n"); return 2; }
    const char *url = argv[1];
    total = atol(argv[2]);
    int rv;
    if ((rv = nng_pull0_open(&pull)) != 0) fatal("open pull", rv);
    if ((rv = nng_push0_open(&push)) != 0) fatal("open push", rv);
    if ((rv = nng_listen(pull, url, NULL, 0)) != 0) fatal("listen", rv);
    if ((rv = nng_dial(push, url, NULL, 0)) != 0) fatal("dial", rv);
    if ((rv = nng_aio_alloc(&send_aio, send_done, NULL)) != 0) fatal("aio", rv);
    if ((rv = nng_aio_alloc(&recv_aio, recv_done, NULL)) != 0) fatal("aio", rv);
    nng_aio_set_timeout(send_aio, 10000);
    nng_aio_set_timeout(recv_aio, 10000);

    double start = now();
    nng_recv_aio(pull, recv_aio);
    send_next();
    pthread_mutex_lock(&done_lock);
    while (!done) pthread_cond_wait(&done_cond, &done_lock);
    pthread_mutex_unlock(&done_lock);
    double elapsed = now() - start;

    nng_aio_stop(send_aio);
    nng_aio_stop(recv_aio);
    nng_aio_free(send_aio);
    nng_aio_free(recv_aio);
    nng_close(push);
    nng_close(pull);
    if (failure != 0) fatal("stream", failure);
    printf("%.0f\n", (double) total / elapsed);
    return 0;
}
