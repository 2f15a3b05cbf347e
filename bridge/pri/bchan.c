/* SPDX-License-Identifier: MIT */
/* bchan.c — the kind-independent cwi_bchan functions (bchan.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libpri.h>

#include "bchan_impl.h"

enum cwi_bchan_law cwi_bchan_law_for_switchtype(int pri_switchtype)
{
	/* G.711 §1 / G.704: E1 spans carry A-law, T1 spans µ-law. EuroISDN and
	 * QSIG are E1 here; the North American switch types are T1. */
	switch (pri_switchtype) {
	case PRI_SWITCH_EUROISDN_E1:
	case PRI_SWITCH_QSIG:
		return CWI_BCHAN_ALAW;
	default:
		return CWI_BCHAN_ULAW;
	}
}

const char *cwi_bchan_law_name(enum cwi_bchan_law law)
{
	return law == CWI_BCHAN_ULAW ? "ulaw" : "alaw";
}

int cwi_bchan_law_from_name(const char *name, enum cwi_bchan_law *ret)
{
	if (!name || !ret)
		return -EINVAL;
	if (strcmp(name, "alaw") == 0)
		*ret = CWI_BCHAN_ALAW;
	else if (strcmp(name, "ulaw") == 0)
		*ret = CWI_BCHAN_ULAW;
	else
		return -EINVAL;
	return 0;
}

uint8_t cwi_bchan_idle_octet(enum cwi_bchan_law law)
{
	/* G.711 Tables 1a/2a: the code of +0 is 0xd5 (A-law, even bits inverted), 0xff (µ-law). */
	return law == CWI_BCHAN_ULAW ? 0xff : 0xd5;
}

struct cwi_bchan *cwi_bchan_alloc(const struct cwi_bchan_ops *ops, enum cwi_bchan_law law)
{
	struct cwi_bchan *b = calloc(1, sizeof(*b));
	int i;

	if (!b)
		return NULL;
	b->ops = ops;
	b->law = law;
	b->fd = -1;
	for (i = 0; i <= CWI_BCHAN_MAX_CHANNEL; i++)
		b->ch[i].fd = -1;
	return b;
}

static int valid_channel(int channel)
{
	return channel >= 1 && channel <= CWI_BCHAN_MAX_CHANNEL;
}

int cwi_bchan_open(struct cwi_bchan *b, int channel)
{
	struct cwi_bchan_chan *c;
	int r;

	if (!b || !valid_channel(channel))
		return -EINVAL;
	c = &b->ch[channel];
	if (c->open)
		return -EALREADY;
	r = b->ops->open ? b->ops->open(b, channel) : 0;
	if (r < 0)
		return r;
	c->open = 1;
	c->rx_started = 0;
	memset(&c->st, 0, sizeof(c->st)); /* a new call on the channel */
	return 0;
}

void cwi_bchan_close(struct cwi_bchan *b, int channel)
{
	if (!b || !valid_channel(channel) || !b->ch[channel].open)
		return;
	if (b->ops->close)
		b->ops->close(b, channel);
	b->ch[channel].open = 0;
}

int cwi_bchan_is_open(const struct cwi_bchan *b, int channel)
{
	return b && valid_channel(channel) && b->ch[channel].open;
}

int cwi_bchan_fd(const struct cwi_bchan *b, int channel)
{
	if (!b || !valid_channel(channel))
		return -1;
	return b->fd >= 0 ? b->fd : b->ch[channel].fd;
}

enum cwi_bchan_law cwi_bchan_law(const struct cwi_bchan *b)
{
	return b ? b->law : CWI_BCHAN_ALAW;
}

const char *cwi_bchan_name(const struct cwi_bchan *b)
{
	return b ? b->name : "(none)";
}

ssize_t cwi_bchan_read(struct cwi_bchan *b, int *ret_channel, uint8_t frame[CWI_BCHAN_FRAME])
{
	if (!b || !ret_channel || !frame)
		return CWI_BCHAN_LOST;
	return b->ops->read(b, ret_channel, frame);
}

int cwi_bchan_write(struct cwi_bchan *b, int channel, const uint8_t frame[CWI_BCHAN_FRAME])
{
	int r;

	if (!b || !frame || !valid_channel(channel) || !b->ch[channel].open)
		return -EINVAL;
	r = b->ops->write(b, channel, frame);
	if (r == 0)
		b->ch[channel].st.tx_frames++;
	else if (r == -EAGAIN)
		b->ch[channel].st.overruns++;
	return r;
}

int cwi_bchan_skip(struct cwi_bchan *b, int channel)
{
	uint8_t idle[CWI_BCHAN_FRAME];

	if (!b || !valid_channel(channel) || !b->ch[channel].open)
		return -EINVAL;
	b->ch[channel].st.underruns++;
	if (b->fd >= 0) {
		b->ch[channel].tx_seq++; /* the period passes: the peer counts a gap */
		return 0;
	}
	/* A TDM channel always carries something: the idle pattern. */
	memset(idle, cwi_bchan_idle_octet(b->law), sizeof(idle));
	(void)b->ops->write(b, channel, idle); /* a full buffer still has audio to play */
	return 0;
}

void cwi_bchan_get_stats(const struct cwi_bchan *b, int channel, struct cwi_bchan_stats *ret)
{
	if (!ret)
		return;
	memset(ret, 0, sizeof(*ret));
	if (b && valid_channel(channel))
		*ret = b->ch[channel].st;
}

void cwi_bchan_free(struct cwi_bchan *b)
{
	int i;

	if (!b)
		return;
	for (i = 1; i <= CWI_BCHAN_MAX_CHANNEL; i++)
		cwi_bchan_close(b, i);
	if (b->ops->free)
		b->ops->free(b);
	free(b);
}
