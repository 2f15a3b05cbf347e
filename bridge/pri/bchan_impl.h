/* SPDX-License-Identifier: MIT */
/* bchan_impl.h — the per-kind operations behind struct cw_bchan (private). */
#ifndef CW_PRI_BCHAN_IMPL_H
#define CW_PRI_BCHAN_IMPL_H

#include "bchan.h"

struct cw_bchan_ops {
	int (*open)(struct cw_bchan *b, int channel);
	void (*close)(struct cw_bchan *b, int channel);
	ssize_t (*read)(struct cw_bchan *b, int *ret_channel, uint8_t *frame);
	int (*write)(struct cw_bchan *b, int channel, const uint8_t *frame);
	void (*free)(struct cw_bchan *b);
};

struct cw_bchan_chan {
	int open;
	int fd;                 /* DAHDI: the channel's device; -1 otherwise */
	uint16_t tx_seq;        /* socket: the next sequence number to send */
	uint16_t rx_next;       /* socket: the sequence number expected next */
	int rx_started;         /* socket: a frame was read since the channel opened */
	struct cw_bchan_stats st;
};

struct cw_bchan {
	const struct cw_bchan_ops *ops;
	enum cw_bchan_law law;
	int fd;                 /* socket: the span's socket; DAHDI: -1 */
	int first_channo;       /* DAHDI: the channel number of B-channel 1 */
	int next_read;          /* DAHDI: where the round robin of reads starts */
	char name[112];
	struct cw_bchan_chan ch[CW_BCHAN_MAX_CHANNEL + 1];
};

/* cw_bchan_alloc() - a handle with every channel closed (fd -1). NULL when out of memory. */
struct cw_bchan *cw_bchan_alloc(const struct cw_bchan_ops *ops, enum cw_bchan_law law);

#endif
