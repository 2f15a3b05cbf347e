/* SPDX-License-Identifier: MIT */
/*
 * reload.h — SIGHUP's configuration step (README.md "Reload"): the file is
 * read again; new calls take the new configuration, calls up keep theirs
 * (config_ref.h). What only a restart can change (the SIP sockets and TLS
 * files, the spans' D-channels, switch types, B-channels and libpri timers,
 * pidfile, cdr_file) is logged and keeps its running value.
 */
#ifndef CWB_RELOAD_H
#define CWB_RELOAD_H

#include "daemon.h"

/*
 * cwb_reload_config() - load d->cfg->file again and put it in front. A file that does not
 * load, spans added, removed or renumbered, a users file or a limit that cannot be taken:
 * logged (FILE:LINE), the running configuration stays. Returns 0 (reloaded) or -1 (not).
 */
int cwb_reload_config(struct cwb *d);

#endif /* CWB_RELOAD_H */
