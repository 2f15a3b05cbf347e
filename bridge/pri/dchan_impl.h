/* SPDX-License-Identifier: MIT */
/* dchan_impl.h — the per-kind operations behind struct cw_dchan (private). */
#ifndef CW_PRI_DCHAN_IMPL_H
#define CW_PRI_DCHAN_IMPL_H

#include "dchan.h"

struct cw_dchan_ops {
	ssize_t (*read)(struct cw_dchan *d, void *buf, size_t len);
	int (*write)(struct cw_dchan *d, const void *buf, size_t len);
};

struct cw_dchan {
	const struct cw_dchan_ops *ops;
	int fd;
	int alarm;       /* DAHDI: span in alarm (docs/dahdi.md §1.3) */
	char name[112];
};

#endif
