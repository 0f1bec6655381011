/* The C yardstick for bench/run: libnng "the fast way".
 *   stream push URL        dial URL (retrying until it listens); stdin read
 *                          in 256 KiB blocks, one message per line (lines of
 *                          any length), sent by a chain of aio callbacks
 *   stream pull URL COUNT  listen on URL; a chain of receive callbacks appends
 *                          each message and a newline to a 256 KiB buffer
 *                          flushed with write(2); exits after COUNT messages,
 *                          or after 2 s without one (status 3)
 *   stream pub URL PEERS   as push, but a pub socket listening on URL that
 *                          waits for PEERS subscribers first (it never blocks:
 *                          what a slow subscriber cannot take is dropped)
 *   stream sub URL COUNT   as pull, but a sub socket dialing URL, subscribed to all
 * No receive size limit (libnng's default 1 MiB would drop a 1 MiB line's
 * message plus anything larger). Not part of the product.
 * Build: cc -O2 -o stream stream.c -lnng -lpthread */
#include <nng/nng.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pubsub0/pub.h>
#include <nng/protocol/pubsub0/sub.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QCAP 1024
static nng_socket sock;
static nng_aio *aio;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static nng_msg *queue[QCAP];
static int qhead, qlen, inflight, failed, peers;
static long want, got;
static char out[256 * 1024];
static struct timespec last_at; /* when the latest message came */
static size_t outlen;

static void die(const char *what, int rv) { fprintf(stderr, "stream: %s: %s\n", what, nng_strerror(rv)); exit(1); }

static void sent_cb(void *arg) {
    (void)arg;
    nng_msg *next = NULL;
    pthread_mutex_lock(&mtx);
    if (nng_aio_result(aio) != 0) { nng_msg_free(nng_aio_get_msg(aio)); failed = 1; inflight = 0; }
    else if (qlen > 0) { next = queue[qhead]; qhead = (qhead + 1) % QCAP; qlen--; }
    else inflight = 0;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mtx);
    if (next) { nng_aio_set_msg(aio, next); nng_send_aio(sock, aio); }
}

static void enqueue(const char *p, size_t n) {
    nng_msg *m;
    int rv;
    if ((rv = nng_msg_alloc(&m, n)) != 0) die("nng_msg_alloc", rv);
    memcpy(nng_msg_body(m), p, n);
    pthread_mutex_lock(&mtx);
    while (qlen == QCAP && !failed) pthread_cond_wait(&cv, &mtx);
    if (failed) die("send", NNG_ECLOSED);
    if (!inflight) {
        inflight = 1;
        pthread_mutex_unlock(&mtx);
        nng_aio_set_msg(aio, m);
        nng_send_aio(sock, aio);
        return;
    }
    queue[(qhead + qlen) % QCAP] = m;
    qlen++;
    pthread_mutex_unlock(&mtx);
}

static void pipe_added(nng_pipe p, nng_pipe_ev ev, void *arg) {
    (void)p; (void)ev; (void)arg;
    pthread_mutex_lock(&mtx);
    peers++;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mtx);
}

/* Reads stdin in 256 KiB blocks into a buffer that grows to hold the longest line. */
static int send_lines(void) {
    size_t cap = 256 * 1024, have = 0;
    char *buf = malloc(cap);
    int rv;
    if (buf == NULL) die("malloc", NNG_ENOMEM);
    if ((rv = nng_aio_alloc(&aio, sent_cb, NULL)) != 0) die("aio", rv);
    for (;;) {
        if (cap - have < 256 * 1024 && (buf = realloc(buf, cap *= 2)) == NULL) die("realloc", NNG_ENOMEM);
        ssize_t n = read(0, buf + have, 256 * 1024);
        if (n <= 0) break;
        have += (size_t)n;
        char *start = buf, *end = buf + have, *nl;
        while ((nl = memchr(start, '\n', (size_t)(end - start))) != NULL) {
            enqueue(start, (size_t)(nl - start));
            start = nl + 1;
        }
        have = (size_t)(end - start);
        memmove(buf, start, have);
    }
    if (have > 0) enqueue(buf, have);
    pthread_mutex_lock(&mtx);
    while ((inflight || qlen > 0) && !failed) pthread_cond_wait(&cv, &mtx);
    pthread_mutex_unlock(&mtx);
    nng_msleep(200); /* as the C nngcat: let the last messages leave */
    return failed;
}

static int do_push(const char *url) {
    int rv;
    if ((rv = nng_push0_open(&sock)) != 0) die("open", rv);
    /* Keeps dialing until the listener is up: the sends wait for it. */
    if ((rv = nng_dial(sock, url, NULL, NNG_FLAG_NONBLOCK)) != 0) die("dial", rv);
    return send_lines();
}

static int do_pub(const char *url, int want_peers) {
    int rv;
    if ((rv = nng_pub0_open(&sock)) != 0) die("open", rv);
    nng_pipe_notify(sock, NNG_PIPE_EV_ADD_POST, pipe_added, NULL);
    if ((rv = nng_listen(sock, url, NULL, 0)) != 0) die("listen", rv);
    pthread_mutex_lock(&mtx);
    while (peers < want_peers) pthread_cond_wait(&cv, &mtx);
    pthread_mutex_unlock(&mtx);
    return send_lines();
}

static void flush_out(void) {
    size_t off = 0;
    while (off < outlen) { ssize_t n = write(1, out + off, outlen - off); if (n <= 0) exit(1); off += (size_t)n; }
    outlen = 0;
}

static void recv_cb(void *arg) {
    (void)arg;
    if (nng_aio_result(aio) != 0) { pthread_mutex_lock(&mtx); failed = 1; pthread_cond_broadcast(&cv); pthread_mutex_unlock(&mtx); return; }
    nng_msg *m = nng_aio_get_msg(aio);
    size_t n = nng_msg_len(m);
    clock_gettime(CLOCK_REALTIME, &last_at);
    if (outlen + n + 1 > sizeof out) flush_out();
    if (n + 1 > sizeof out) { fwrite(nng_msg_body(m), 1, n, stdout); fflush(stdout); }
    else { memcpy(out + outlen, nng_msg_body(m), n); outlen += n; }
    out[outlen++] = '\n';
    nng_msg_free(m);
    if (++got >= want) { flush_out(); pthread_mutex_lock(&mtx); pthread_cond_broadcast(&cv); pthread_mutex_unlock(&mtx); return; }
    nng_recv_aio(sock, aio);
}

/* The receive chain ends on the first error: the 2 s timeout included. */
static int receive(long count) {
    int rv;
    want = count;
    nng_socket_set_size(sock, NNG_OPT_RECVMAXSZ, 0);
    if ((rv = nng_aio_alloc(&aio, recv_cb, NULL)) != 0) die("aio", rv);
    nng_aio_set_timeout(aio, 2000);
    return 0;
}

static int wait_received(void) {
    nng_recv_aio(sock, aio);
    pthread_mutex_lock(&mtx);
    while (got < want && !failed) pthread_cond_wait(&cv, &mtx);
    pthread_mutex_unlock(&mtx);
    flush_out();
    if (got < want && got > 0) {
        /* Ended by the 2 s timeout: the output file's mtime says when the
         * last message came, as it does for receivers that write at once. */
        struct timespec times[2] = {last_at, last_at};
        futimens(1, times);
    }
    return got < want ? 3 : 0;
}

static int do_pull(const char *url, long count) {
    int rv;
    if ((rv = nng_pull0_open(&sock)) != 0) die("open", rv);
    receive(count);
    if ((rv = nng_listen(sock, url, NULL, 0)) != 0) die("listen", rv);
    return wait_received();
}

static int do_sub(const char *url, long count) {
    int rv;
    if ((rv = nng_sub0_open(&sock)) != 0) die("open", rv);
    if ((rv = nng_socket_set(sock, NNG_OPT_SUB_SUBSCRIBE, "", 0)) != 0) die("subscribe", rv);
    receive(count);
    if ((rv = nng_dial(sock, url, NULL, NNG_FLAG_NONBLOCK)) != 0) die("dial", rv);
    return wait_received();
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "push") == 0) return do_push(argv[2]);
    if (argc >= 4 && strcmp(argv[1], "pull") == 0) return do_pull(argv[2], atol(argv[3]));
    if (argc >= 4 && strcmp(argv[1], "pub") == 0) return do_pub(argv[2], atoi(argv[3]));
    if (argc >= 4 && strcmp(argv[1], "sub") == 0) return do_sub(argv[2], atol(argv[3]));
    fprintf(stderr, "usage: stream push URL | stream pull URL COUNT | stream pub URL PEERS | stream sub URL COUNT\n");
    return 2;
}
