"""Helpers for the differential legacy-mode suite: run one scenario with the
C nngcat and with ours, bounded in time, and return what to compare."""
import subprocess
import time

from conftest import Background, run, wait_listening


def both(c, ours, args, **kw):
    """Runs the same argument list through the C tool and ours."""
    return run([c] + args, **kw), run([ours] + args, **kw)


def exchange(receiver, sender, url, timeout=15, sender_input=None, settle=0.0):
    """Starts `receiver` (which listens on `url`), runs `sender` to completion,
    then waits for the receiver. Returns (receiver_rc, receiver_out, sender_rc, sender_out)."""
    rx = Background(receiver)
    try:
        wait_listening(url)
        if settle:
            time.sleep(settle)
        tx = run(sender, input=sender_input, timeout=timeout)
        rc, out, err = rx.finish(timeout=timeout)
        return rc, out, tx.returncode, tx.stdout
    finally:
        rx.kill()


def exchange_reverse(listener, dialer, url, timeout=15, settle=0.0):
    """Starts `listener` in the background (a sender or replier that listens),
    runs `dialer` to completion, then waits for the listener."""
    bg = Background(listener)
    try:
        wait_listening(url)
        if settle:
            time.sleep(settle)
        fg = run(dialer, timeout=timeout)
        rc, out, err = bg.finish(timeout=timeout)
        return fg.returncode, fg.stdout, rc, out
    finally:
        bg.kill()
