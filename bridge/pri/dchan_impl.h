/* SPDX-License-Identifier: MIT */
/* dchan_impl.h — the per-kind operations behind struct cwi_dchan (private). */
#ifndef BRIDGE_PRI_DCHAN_IMPL_H
#define BRIDGE_PRI_DCHAN_IMPL_H

#include "dchan.h"

struct cwi_dchan_ops {
	ssize_t (*read)(struct cwi_dchan *d, void *buf, size_t len);
	int (*write)(struct cwi_dchan *d, const void *buf, size_t len);
};

struct cwi_dchan {
	const struct cwi_dchan_ops *ops;
	int fd;
	int alarm;       /* DAHDI: span in alarm (docs/dahdi.md §1.3) */
	char name[112];
};

#endif
