#include "CReadline.h"

#include <dlfcn.h>
#include <pthread.h>

static nngcat_readline table;
static const nngcat_readline *loaded;
static char failure[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    // The soname Debian 12 and most distributions ship; the bare name covers
    // a development symlink elsewhere.
    static const char *const names[] = {"libreadline.so.8", "libreadline.so"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && handle == NULL; i++) {
        handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(failure, sizeof failure, "cannot load GNU readline (libreadline.so.8): %s",
                 reason != NULL ? reason : "not found");
        return;
    }
#define NNGCAT_READLINE_RESOLVE(name) \
    if ((table.name = (__typeof__(&name))dlsym(handle, #name)) == NULL) { \
        snprintf(failure, sizeof failure, "libreadline has no symbol " #name); \
        return; \
    }
    NNGCAT_READLINE_SYMBOLS(NNGCAT_READLINE_RESOLVE)
#undef NNGCAT_READLINE_RESOLVE
    loaded = &table;
}

const nngcat_readline *nngcat_readline_load(const char **error) {
    pthread_once(&once, load);
    if (loaded == NULL && error != NULL) {
        *error = failure;
    }
    return loaded;
}
