/* SPDX-License-Identifier: MIT */
/* bchan_impl.h — the per-kind operations behind struct cwi_bchan (private). */
#ifndef BRIDGE_PRI_BCHAN_IMPL_H
#define BRIDGE_PRI_BCHAN_IMPL_H

#include "bchan.h"

struct cwi_bchan_ops {
	int (*open)(struct cwi_bchan *b, int channel);
	void (*close)(struct cwi_bchan *b, int channel);
	ssize_t (*read)(struct cwi_bchan *b, int *ret_channel, uint8_t *frame);
	int (*write)(struct cwi_bchan *b, int channel, const uint8_t *frame);
	void (*free)(struct cwi_bchan *b);
};

struct cwi_bchan_chan {
	int open;
	int fd;                 /* DAHDI: the channel's device; -1 otherwise */
	uint16_t tx_seq;        /* socket: the next sequence number to send */
	uint16_t rx_next;       /* socket: the sequence number expected next */
	int rx_started;         /* socket: a frame was read since the channel opened */
	struct cwi_bchan_stats st;
};

struct cwi_bchan {
	const struct cwi_bchan_ops *ops;
	enum cwi_bchan_law law;
	int fd;                 /* socket: the span's socket; DAHDI: -1 */
	int first_channo;       /* DAHDI: the channel number of B-channel 1 */
	int next_read;          /* DAHDI: where the round robin of reads starts */
	char name[112];
	struct cwi_bchan_chan ch[CWI_BCHAN_MAX_CHANNEL + 1];
};

/* cwi_bchan_alloc() - a handle with every channel closed (fd -1). NULL when out of memory. */
struct cwi_bchan *cwi_bchan_alloc(const struct cwi_bchan_ops *ops, enum cwi_bchan_law law);

#endif
