#ifndef NNGCAT_CREADLINE_H
#define NNGCAT_CREADLINE_H
// GNU readline, loaded with dlopen the first time the REPL starts rather than
// linked: the other modes never pay for binding readline and libtinfo at
// start-up (about a third of the dynamic loader's symbol lookups), and the
// binary runs where libreadline is not installed, with only `repl` refusing.
//
// The headers are included for their types only. Calling one of their
// functions directly would fail to link; go through the table below.

// readline's headers use FILE without including stdio.h themselves.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Every function and variable the line editor uses. Each becomes a field of
// the same name holding its address, typed by the header's declaration
// (a variable's field points at it), never null once loaded.
#define NNGCAT_READLINE_SYMBOLS(X) \
    X(add_history) \
    X(append_history) \
    X(history_base) \
    X(history_get) \
    X(history_length) \
    X(history_list) \
    X(history_truncate_file) \
    X(read_history) \
    X(rl_attempted_completion_function) \
    X(rl_attempted_completion_over) \
    X(rl_bind_key_in_map) \
    X(rl_callback_handler_install) \
    X(rl_callback_handler_remove) \
    X(rl_callback_read_char) \
    X(rl_catch_signals) \
    X(rl_change_environment) \
    X(rl_clear_visible_line) \
    X(rl_completion_matches) \
    X(rl_crlf) \
    X(rl_done) \
    X(rl_end) \
    X(rl_free_line_state) \
    X(rl_get_keymap_by_name) \
    X(rl_initialize) \
    X(rl_instream) \
    X(rl_line_buffer) \
    X(rl_on_new_line) \
    X(rl_outstream) \
    X(rl_point) \
    X(rl_prep_term_function) \
    X(rl_prep_terminal) \
    X(rl_readline_name) \
    X(rl_redisplay) \
    X(rl_replace_line) \
    X(rl_set_prompt) \
    X(stifle_history) \
    X(using_history)

typedef struct nngcat_readline {
#define NNGCAT_READLINE_FIELD(name) __typeof__(&name) _Nonnull name;
    NNGCAT_READLINE_SYMBOLS(NNGCAT_READLINE_FIELD)
#undef NNGCAT_READLINE_FIELD
} nngcat_readline;

/// Loads readline once per process (thread-safe). On failure returns NULL and
/// points *error at a static one-line reason.
const nngcat_readline *_Nullable nngcat_readline_load(const char *_Nullable *_Nullable error);

#endif
