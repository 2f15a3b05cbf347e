/* SPDX-License-Identifier: MIT */
/*
 * dahdi_double.c — a test double of the DAHDI character device, loaded with
 * LD_PRELOAD (docs/dahdi.md §5). It answers open/ioctl/read/write/poll/close
 * on /dev/dahdi/channel as dahdi-base.c does for an HDLC D-channel, and
 * carries the frames to causeway-pstn-sim's SOCK_SEQPACKET span socket: the
 * "line". A control socket injects span alarms and channel events.
 *
 *   CW_DAHDI_DOUBLE_CHANNELS  CHAN:SPAN:SIG:PATH[,...]   SIG = hdlcfcs | hardhdlc
 *                             | hdlcraw | unconfigured; PATH the simulator's socket;
 *                             or CHAN:SPAN:audio:BCHAN:PATH, a B-channel in audio
 *                             mode whose 20 ms blocks go to the simulator's --audio
 *                             socket PATH tagged as Q.931 channel BCHAN (one
 *                             connection per PATH for all its channels,
 *                             bridge/pri/README.md "B-channel audio socket")
 *   CW_DAHDI_DOUBLE_CONTROL   PATH of a Unix stream socket, one line per connection:
 *                             "alarm SPAN red|yellow|blue", "clear SPAN",
 *                             "event CHAN N", "status SPAN"; answer "ok ..." or "error ..."
 *
 * The application's fd is one end of a SEQPACKET socketpair; a thread relays
 * between its other end and the line, as the driver sits between the file and
 * the card. A queued event makes the fd readable through a 1-byte marker, so an
 * epoll loop wakes (the kernel reports POLLPRI; epoll is not intercepted).
 */
/* open and open64 are both defined here: no asm redirection of one to the other. */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* user.h has zero-length arrays (a GNU extension): keep -Wpedantic quiet. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include <dahdi/user.h>
#pragma GCC diagnostic pop

#define MAX_FDS 1024
#define MAX_CHANS 64
#define MAX_SPANS 32
#define EVENT_QUEUE 64          /* DAHDI_MAX_EVENTSIZE in dahdi/kernel.h */
#define MARKER 0xE7             /* a 1-byte datagram: no HDLC frame is that short */
#define LINE_RETRY_NS 100000000 /* reconnect to the simulator every 100 ms */
#define FRAME_MAX 8192          /* DAHDI_MAX_BLOCKSIZE */

struct chan_conf {
	int channo;
	int spanno;
	int sigtype;               /* 0: unconfigured (SPECIFY gives ENXIO) */
	int bchan;                 /* audio: the Q.931 channel of its frames; 0: HDLC */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* An audio socket of the simulator, shared by the B-channels naming its PATH. */
struct audio_line {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int fd;                    /* -1 while not connected */
};

/* One open /dev/dahdi/channel file, indexed by the application's fd. */
struct dfile {
	int used;
	int specified;             /* DAHDI_SPECIFY done */
	const struct chan_conf *conf;
	int peer;                  /* the relay's end of the socketpair */
	int line;                  /* connected to the simulator, -1 while down */
	int events[EVENT_QUEUE];
	int head, count;
	int marker_sent;           /* a MARKER is queued toward the application */
	int removed;               /* DAHDI_EVENT_REMOVED popped: ENODEV from now on */
	int bufsize;               /* block size: a longer write is cut */
	int audio;                 /* a B-channel in audio mode (conf->bchan) */
	struct audio_line *aline;  /* its simulator socket */
	unsigned seq;              /* the sequence number of its next frame */
};

static struct chan_conf confs[MAX_CHANS];
static int n_confs;
static struct audio_line alines[MAX_CHANS];
static int n_alines;
static int injected[MAX_SPANS + 1];   /* alarms set through the control socket */
static int reported[MAX_SPANS + 1];   /* alarms as last reported (ALARM/NOALARM edges) */
static struct dfile files[MAX_FDS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_once_t relay_once = PTHREAD_ONCE_INIT;
static int ctl_fd = -1;
static int wake_pipe[2] = {-1, -1};

static int (*real_open)(const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_access)(const char *, int);

static void *relay_main(void *arg);

static int sig_from_name(const char *s)
{
	if (strcmp(s, "hdlcfcs") == 0)
		return DAHDI_SIG_HDLCFCS;
	if (strcmp(s, "hardhdlc") == 0)
		return DAHDI_SIG_HARDHDLC;
	if (strcmp(s, "hdlcraw") == 0)
		return DAHDI_SIG_HDLCRAW;
	if (strcmp(s, "audio") == 0)
		return DAHDI_SIG_CLEAR;
	return 0;
}

static void parse_channels(const char *spec)
{
	char *copy = strdup(spec ? spec : ""), *save = NULL, *item;

	for (item = strtok_r(copy, ",", &save); item && n_confs < MAX_CHANS;
	     item = strtok_r(NULL, ",", &save)) {
		struct chan_conf *c = &confs[n_confs];
		char sig[16] = "", path[sizeof(c->path)] = "";
		int n = 0;

		if (sscanf(item, "%d:%d:%15[a-z]:%n", &c->channo, &c->spanno, sig, &n) != 3 || n == 0 ||
		    c->spanno < 1 || c->spanno > MAX_SPANS) {
			fprintf(stderr, "dahdi double: CW_DAHDI_DOUBLE_CHANNELS: bad item '%s'\n", item);
			continue;
		}
		c->bchan = 0;
		if (strcmp(sig, "audio") == 0) {
			int m = 0;

			if (sscanf(item + n, "%d:%n", &c->bchan, &m) != 1 || m == 0 || c->bchan < 1 ||
			    c->bchan > 31) {
				fprintf(stderr, "dahdi double: CW_DAHDI_DOUBLE_CHANNELS: bad item '%s'\n",
				        item);
				continue;
			}
			n += m;
		}
		snprintf(path, sizeof(path), "%s", item + n);
		memcpy(c->path, path, sizeof(c->path));
		c->sigtype = sig_from_name(sig);
		n_confs++;
	}
	free(copy);
}

static int listen_control(const char *path)
{
	struct sockaddr_un a;
	int fd;

	if (!path || !*path || strlen(path) >= sizeof(a.sun_path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, path, strlen(path) + 1);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0) {
		fprintf(stderr, "dahdi double: control socket %s: %s\n", path, strerror(errno));
		real_close(fd);
		return -1;
	}
	return fd;
}

/* POSIX dlsym(): a function pointer is assigned through a void * lvalue. */
static void init_once(void)
{
	*(void **)&real_open = dlsym(RTLD_NEXT, "open");
	*(void **)&real_close = dlsym(RTLD_NEXT, "close");
	*(void **)&real_read = dlsym(RTLD_NEXT, "read");
	*(void **)&real_write = dlsym(RTLD_NEXT, "write");
	*(void **)&real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	*(void **)&real_poll = dlsym(RTLD_NEXT, "poll");
	*(void **)&real_access = dlsym(RTLD_NEXT, "access");
}

/* The relay and the control socket start with the first open of a channel. */
static void relay_start(void)
{
	pthread_t t;

	parse_channels(getenv("CW_DAHDI_DOUBLE_CHANNELS"));
	ctl_fd = listen_control(getenv("CW_DAHDI_DOUBLE_CONTROL"));
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	if (pthread_create(&t, NULL, relay_main, NULL) == 0)
		pthread_detach(t);
}

static void init(void)
{
	pthread_once(&once, init_once);
}

static struct dfile *file_of(int fd)
{
	if (fd < 0 || fd >= MAX_FDS || !files[fd].used)
		return NULL;
	return &files[fd];
}

static void wake_relay(void)
{
	char c = 0;

	(void)!real_write(wake_pipe[1], &c, 1);
}

/* ---- events and alarms (docs/dahdi.md §1.3); called with mu held ---- */

/* Queue ev on f; make the fd readable for the application's poll loop. */
static void push_event(struct dfile *f, int ev)
{
	unsigned char m = MARKER;

	if (f->count == EVENT_QUEUE)
		return; /* dahdi-base.c drops what comes after a full queue */
	f->events[(f->head + f->count) % EVENT_QUEUE] = ev;
	f->count++;
	if (!f->marker_sent && send(f->peer, &m, 1, MSG_DONTWAIT) == 1)
		f->marker_sent = 1;
}

/* The span's alarms: injected ones, plus RED + LOS while its line is down. */
static int span_alarms(int spanno)
{
	int a = injected[spanno], fd;

	for (fd = 0; fd < MAX_FDS; fd++)
		if (files[fd].used && files[fd].specified && files[fd].conf->spanno == spanno &&
		    !files[fd].audio && files[fd].line < 0)
			a |= DAHDI_ALARM_RED | DAHDI_ALARM_LOS;
	return a;
}

/* ALARM on the edge none -> some, NOALARM on some -> none; nothing between alarms. */
static void alarms_changed(int spanno)
{
	int now = span_alarms(spanno), fd, ev;

	if ((now != 0) == (reported[spanno] != 0)) {
		reported[spanno] = now;
		return;
	}
	reported[spanno] = now;
	ev = now ? DAHDI_EVENT_ALARM : DAHDI_EVENT_NOALARM;
	for (fd = 0; fd < MAX_FDS; fd++)
		if (files[fd].used && files[fd].specified && files[fd].conf->spanno == spanno)
			push_event(&files[fd], ev);
}

/* ---- the line: a connection to the simulator's span socket ---- */

static int line_connect(const char *path)
{
	struct sockaddr_un a;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, path, strnlen(path, sizeof(a.sun_path) - 1));
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		real_close(fd);
		return -1;
	}
	return fd;
}

/* CRC-16/X.25, the HDLC FCS (ITU-T Q.921 §2.7, ISO/IEC 13239): the driver writes it. */
static void put_fcs(unsigned char *p, size_t n)
{
	unsigned crc = 0xffff;
	size_t i;
	int b;

	if (n < 2)
		return;
	for (i = 0; i < n - 2; i++) {
		crc ^= p[i];
		for (b = 0; b < 8; b++)
			crc = (crc & 1) ? (crc >> 1) ^ 0x8408 : crc >> 1;
	}
	crc ^= 0xffff;
	p[n - 2] = (unsigned char)(crc & 0xff);
	p[n - 1] = (unsigned char)(crc >> 8);
}

/* Red and blue: nothing passes. Yellow: the far end does not hear us. */
static int rx_blocked(int spanno)
{
	return (injected[spanno] & (DAHDI_ALARM_RED | DAHDI_ALARM_BLUE)) != 0;
}

static int tx_blocked(int spanno)
{
	return injected[spanno] != 0;
}

static void line_lost(struct dfile *f)
{
	real_close(f->line);
	f->line = -1;
	alarms_changed(f->conf->spanno);
}

/* The shared simulator socket of an audio channel's PATH (mu held). */
static struct audio_line *aline_of(const char *path)
{
	int i;

	for (i = 0; i < n_alines; i++)
		if (strcmp(alines[i].path, path) == 0)
			return &alines[i];
	if (n_alines == MAX_CHANS)
		return NULL;
	snprintf(alines[n_alines].path, sizeof(alines[n_alines].path), "%s", path);
	alines[n_alines].fd = -1;
	return &alines[n_alines++];
}

/* A block the application wrote on an audio channel: one tagged frame to the
   simulator (version 1, channel, sequence big-endian, the octets). mu held. */
static void audio_out(struct dfile *f)
{
	unsigned char buf[4 + FRAME_MAX];
	ssize_t n = recv(f->peer, buf + 4, sizeof(buf) - 4, MSG_DONTWAIT);

	if (n <= 0 || !f->aline || f->aline->fd < 0 || tx_blocked(f->conf->spanno))
		return;
	buf[0] = 1;
	buf[1] = (unsigned char)f->conf->bchan;
	buf[2] = (unsigned char)(f->seq >> 8);
	buf[3] = (unsigned char)f->seq;
	f->seq = (f->seq + 1) & 0xffff;
	(void)send(f->aline->fd, buf, (size_t)n + 4, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* A frame from the simulator's audio socket: its octets to the channel's file. */
static void audio_in(struct audio_line *al)
{
	unsigned char buf[4 + FRAME_MAX];
	ssize_t n = recv(al->fd, buf, sizeof(buf), MSG_DONTWAIT);
	int fd;

	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		real_close(al->fd);
		al->fd = -1;
		return;
	}
	if (n < 5 || buf[0] != 1)
		return;
	for (fd = 0; fd < MAX_FDS; fd++) {
		struct dfile *f = &files[fd];

		if (f->used && f->audio && f->aline == al && f->conf->bchan == buf[1]) {
			if (!rx_blocked(f->conf->spanno))
				(void)send(f->peer, buf + 4, (size_t)n - 4, MSG_DONTWAIT | MSG_NOSIGNAL);
			return;
		}
	}
}

/* One frame each way per wake-up; called with mu held. */
static void relay_one(struct dfile *f, short peer_rev, short line_rev)
{
	unsigned char buf[FRAME_MAX];
	ssize_t n;

	if (peer_rev & POLLIN) {
		n = recv(f->peer, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0 && f->line >= 0 && !tx_blocked(f->conf->spanno)) {
			put_fcs(buf, (size_t)n);
			if (send(f->line, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
			    errno != EAGAIN)
				line_lost(f);
		}
	}
	if (f->line >= 0 && (line_rev & (POLLIN | POLLHUP | POLLERR))) {
		n = recv(f->line, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0 && !(n < 0 && errno == EAGAIN)) {
			line_lost(f);
			return;
		}
		if (n > 0 && !rx_blocked(f->conf->spanno))
			(void)send(f->peer, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
	}
}

/* ---- the control socket ---- */

static int alarm_from_name(const char *s)
{
	if (strcmp(s, "red") == 0)
		return DAHDI_ALARM_RED | DAHDI_ALARM_LOS;
	if (strcmp(s, "yellow") == 0)
		return DAHDI_ALARM_YELLOW;
	if (strcmp(s, "blue") == 0)
		return DAHDI_ALARM_BLUE;
	return 0;
}

/* One command line -> its answer; called with mu held. */
static void control_command(const char *line, char *out, size_t len)
{
	char word[16] = "", arg[16] = "";
	int n = 0, v = 0, got = sscanf(line, "%15s %d %15s", word, &n, arg), fd;

	if (got >= 2 && strcmp(word, "event") == 0 && sscanf(line, "%*s %d %d", &n, &v) == 2) {
		for (fd = 0; fd < MAX_FDS; fd++)
			if (files[fd].used && files[fd].specified && files[fd].conf->channo == n) {
				push_event(&files[fd], v);
				snprintf(out, len, "ok queued %d on channel %d\n", v, n);
				return;
			}
		snprintf(out, len, "error channel %d is not open\n", n);
		return;
	}
	if (got < 2 || n < 1 || n > MAX_SPANS) {
		snprintf(out, len, "error usage: alarm SPAN red|yellow|blue | clear SPAN | "
		                   "event CHAN N | status SPAN\n");
		return;
	}
	if (strcmp(word, "alarm") == 0 && got == 3 && alarm_from_name(arg)) {
		injected[n] |= alarm_from_name(arg);
		alarms_changed(n);
	} else if (strcmp(word, "clear") == 0) {
		injected[n] = 0;
		alarms_changed(n);
	} else if (strcmp(word, "status") != 0) {
		snprintf(out, len, "error unknown command '%s'\n", word);
		return;
	}
	snprintf(out, len, "ok span %d alarms 0x%x\n", n, span_alarms(n));
}

static void control_serve(void)
{
	char line[128], out[160];
	struct pollfd p;
	size_t used = 0;
	int c = accept4(ctl_fd, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0)
		return;
	p.fd = c;
	p.events = POLLIN;
	while (used < sizeof(line) - 1 && real_poll(&p, 1, 2000) == 1) {
		ssize_t n = recv(c, line + used, sizeof(line) - 1 - used, 0);

		if (n <= 0)
			break;
		used += (size_t)n;
		if (memchr(line, '\n', used))
			break;
	}
	line[used] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	pthread_mutex_lock(&mu);
	control_command(line, out, sizeof(out));
	pthread_mutex_unlock(&mu);
	(void)send(c, out, strlen(out), MSG_NOSIGNAL);
	real_close(c);
}

/* ---- the relay thread ---- */

static void *relay_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd p[2 + 2 * MAX_FDS + MAX_CHANS];
		int owner[2 + 2 * MAX_FDS + MAX_CHANS];
		nfds_t n = 0, i;
		int fd, down = 0;

		p[n].fd = wake_pipe[0];
		p[n++].events = POLLIN;
		if (ctl_fd >= 0) {
			p[n].fd = ctl_fd;
			p[n++].events = POLLIN;
		}
		pthread_mutex_lock(&mu);
		for (fd = 0; fd < MAX_FDS; fd++) {
			struct dfile *f = &files[fd];

			if (!f->used || !f->specified)
				continue;
			if (f->audio) {
				if (f->aline && f->aline->fd < 0)
					f->aline->fd = line_connect(f->aline->path);
				if (f->aline && f->aline->fd < 0)
					down = 1;
				owner[n] = fd;
				p[n].fd = f->peer;
				p[n++].events = POLLIN;
				continue;
			}
			if (f->line < 0) {
				f->line = line_connect(f->conf->path);
				if (f->line >= 0)
					alarms_changed(f->conf->spanno);
				else
					down = 1;
			}
			owner[n] = fd;
			p[n].fd = f->peer;
			p[n++].events = POLLIN;
			if (f->line >= 0) {
				owner[n] = fd;
				p[n].fd = f->line;
				p[n++].events = POLLIN;
			}
		}
		for (i = 0; i < (nfds_t)n_alines; i++)
			if (alines[i].fd >= 0) {
				owner[n] = -1 - (int)i; /* an audio line, not a file */
				p[n].fd = alines[i].fd;
				p[n++].events = POLLIN;
			}
		pthread_mutex_unlock(&mu);
		if (real_poll(p, n, down ? LINE_RETRY_NS / 1000000 : -1) < 0)
			continue;
		if (p[0].revents & POLLIN) {
			char drain[64];

			while (real_read(wake_pipe[0], drain, sizeof(drain)) > 0)
				;
		}
		if (ctl_fd >= 0 && (p[1].revents & POLLIN))
			control_serve();
		pthread_mutex_lock(&mu);
		for (i = ctl_fd >= 0 ? 2 : 1; i < n; i++) {
			struct dfile *f;

			if (owner[i] < 0) {
				struct audio_line *al = &alines[-1 - owner[i]];

				if (p[i].revents && al->fd == p[i].fd)
					audio_in(al);
				continue;
			}
			f = &files[owner[i]];
			/* the file may have been closed while we polled */
			if (f->used && f->audio && p[i].fd == f->peer && (p[i].revents & POLLIN)) {
				audio_out(f);
				continue;
			}
			if (!p[i].revents || !f->used || (p[i].fd != f->peer && p[i].fd != f->line))
				continue;
			relay_one(f, p[i].fd == f->peer ? p[i].revents : 0,
			          p[i].fd == f->line ? p[i].revents : 0);
		}
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

/* ---- the intercepted calls ---- */

static int is_dahdi_path(const char *path)
{
	return path && strncmp(path, "/dev/dahdi/", 11) == 0;
}

/* open("/dev/dahdi/channel"): a socketpair end stands for the file. */
static int dahdi_open(const char *path, int flags)
{
	int sv[2], type = SOCK_SEQPACKET | SOCK_CLOEXEC;

	if (strcmp(path, "/dev/dahdi/channel") != 0) {
		errno = ENOENT; /* ctl, timer, transcode, /dev/dahdi/N: not modelled */
		return -1;
	}
	pthread_once(&relay_once, relay_start);
	if (socketpair(AF_UNIX, type, 0, sv) < 0)
		return -1;
	if (sv[0] >= MAX_FDS) {
		real_close(sv[0]);
		real_close(sv[1]);
		errno = EMFILE;
		return -1;
	}
	if (flags & O_NONBLOCK)
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
	if (!(flags & O_CLOEXEC))
		fcntl(sv[0], F_SETFD, 0);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	pthread_mutex_lock(&mu);
	memset(&files[sv[0]], 0, sizeof(files[sv[0]]));
	files[sv[0]].used = 1;
	files[sv[0]].peer = sv[1];
	files[sv[0]].line = -1;
	files[sv[0]].bufsize = 1024; /* DAHDI_DEFAULT_BLOCKSIZE in dahdi/kernel.h */
	pthread_mutex_unlock(&mu);
	return sv[0];
}

/* open() and open64(): mode is read by the caller only with O_CREAT or O_TMPFILE. */
static int open_path(const char *path, int flags, mode_t mode)
{
	init();
	if (is_dahdi_path(path))
		return dahdi_open(path, flags);
	return real_open(path, flags, mode);
}

#define OPEN_MODE(flags, mode) do { \
	va_list ap; \
	if ((flags) & (O_CREAT | O_TMPFILE)) { \
		va_start(ap, flags); \
		(mode) = (mode_t)va_arg(ap, int); \
		va_end(ap); \
	} \
} while (0)

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return open_path(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	OPEN_MODE(flags, mode);
	return open_path(path, flags, mode);
}

/* access("/dev/dahdi/channel"): the device is there (DAHDI loaded). */
int access(const char *path, int mode)
{
	init();
	if (strcmp(path, "/dev/dahdi/channel") == 0)
		return 0;
	return real_access(path, mode);
}

int close(int fd)
{
	struct dfile *f;

	init();
	pthread_mutex_lock(&mu);
	f = file_of(fd);
	if (f) {
		int span = f->specified ? f->conf->spanno : 0;

		real_close(f->peer);
		if (f->line >= 0)
			real_close(f->line);
		memset(f, 0, sizeof(*f));
		if (span)
			alarms_changed(span);
	}
	pthread_mutex_unlock(&mu);
	if (f)
		wake_relay();
	return real_close(fd);
}

/* DAHDI_SPECIFY (docs/dahdi.md §1.1 step 2). */
static int specify(int fd, struct dfile *f, int channo)
{
	int i, other;

	if (f->specified)
		return -EINVAL;
	for (i = 0; i < n_confs; i++)
		if (confs[i].channo == channo)
			break;
	if (i == n_confs)
		return -EINVAL;
	if (!confs[i].sigtype)
		return -ENXIO;
	for (other = 0; other < MAX_FDS; other++)
		if (other != fd && files[other].used && files[other].specified &&
		    files[other].conf == &confs[i])
			return -EBUSY;
	f->conf = &confs[i];
	f->specified = 1;
	if (f->conf->bchan) { /* audio: the span's shared line, connected by the relay */
		f->audio = 1;
		f->aline = aline_of(f->conf->path);
		return 0;
	}
	f->line = line_connect(f->conf->path);
	/* The event queue starts empty; an alarm from before the open raises nothing. */
	reported[f->conf->spanno] = span_alarms(f->conf->spanno);
	return 0;
}

static int dahdi_ioctl(int fd, struct dfile *f, unsigned long req, void *arg)
{
	if (!f->specified && req != DAHDI_SPECIFY)
		return -ENOSYS; /* SPECIFY must come first on /dev/dahdi/channel */
	if (!arg)
		return -EFAULT;
	switch (req) {
	case DAHDI_SPECIFY:
		return specify(fd, f, *(int *)arg);
	case DAHDI_GET_PARAMS: {
		struct dahdi_params *p = arg;
		const struct chan_conf *c = f->conf;
		int first = c->channo, i;

		for (i = 0; i < n_confs; i++)
			if (confs[i].spanno == c->spanno && confs[i].channo < first)
				first = confs[i].channo;
		memset(p, 0, sizeof(*p));
		p->channo = c->channo;
		p->spanno = c->spanno;
		p->chanpos = c->channo - first + 1;
		p->sigtype = c->sigtype;
		p->sigcap = DAHDI_SIG_HDLCFCS | DAHDI_SIG_HARDHDLC | DAHDI_SIG_CLEAR;
		p->curlaw = DAHDI_LAW_ALAW;
		snprintf(p->name, sizeof(p->name), "DOUBLE/%d/%d", c->spanno, p->chanpos);
		p->chan_alarms = (unsigned)span_alarms(c->spanno);
		return 0;
	}
	case DAHDI_SET_BUFINFO: {
		const struct dahdi_bufferinfo *b = arg;

		/* dahdi-base.c: 16 <= bufsize <= DAHDI_MAX_BLOCKSIZE, total <= DAHDI_MAX_BUF_SPACE */
		if (b->bufsize > FRAME_MAX || b->bufsize < 16 || b->numbufs < 1 ||
		    (long)b->bufsize * b->numbufs > 32768)
			return -EINVAL;
		f->bufsize = b->bufsize;
		return 0;
	}
	case DAHDI_SET_BLOCKSIZE: {
		int size = *(int *)arg;

		if (size < 16 || size > FRAME_MAX)
			return -EINVAL;
		f->bufsize = size;
		return 0;
	}
	case DAHDI_SETLAW:
	case DAHDI_AUDIOMODE:
		/* the law and audio mode of a B-channel: the double carries octets as they are */
		return f->audio ? 0 : -EINVAL;
	case DAHDI_GETEVENT: {
		int *ev = arg;

		*ev = DAHDI_EVENT_NONE;
		if (f->count) {
			*ev = f->events[f->head];
			f->head = (f->head + 1) % EVENT_QUEUE;
			f->count--;
			if (*ev == DAHDI_EVENT_REMOVED)
				f->removed = 1;
		}
		return 0;
	}
	case DAHDI_SPANSTAT: {
		struct dahdi_spaninfo *si = arg;
		int spanno = si->spanno ? si->spanno : f->conf->spanno;

		if (spanno < 1 || spanno > MAX_SPANS)
			return -EINVAL;
		memset(si, 0, sizeof(*si));
		si->spanno = spanno;
		snprintf(si->name, sizeof(si->name), "DOUBLE/%d", spanno);
		si->alarms = span_alarms(spanno);
		si->totalchans = 31;
		return 0;
	}
	default:
		return -ENOTTY;
	}
}

int ioctl(int fd, unsigned long req, ...)
{
	struct dfile *f;
	void *arg;
	va_list ap;
	int r;

	init();
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	pthread_mutex_lock(&mu);
	f = file_of(fd);
	if (!f) {
		pthread_mutex_unlock(&mu);
		return real_ioctl(fd, req, arg);
	}
	r = dahdi_ioctl(fd, f, req, arg);
	pthread_mutex_unlock(&mu);
	if (r == 0 && req == DAHDI_SPECIFY)
		wake_relay();
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

/* ELAST while an event is queued, ENODEV after REMOVED; else 0 (mu held). */
static int file_error(struct dfile *f)
{
	if (!f->specified)
		return EINVAL;
	if (f->count)
		return ELAST;
	if (f->removed)
		return ENODEV;
	return 0;
}

ssize_t read(int fd, void *buf, size_t len)
{
	struct dfile *f;
	int err;

	init();
	for (;;) {
		ssize_t n;

		pthread_mutex_lock(&mu);
		f = file_of(fd);
		err = f ? file_error(f) : 0;
		pthread_mutex_unlock(&mu);
		if (!f)
			return real_read(fd, buf, len);
		if (err) {
			errno = err;
			return -1;
		}
		n = real_read(fd, buf, len);
		if (n != 1 || len < 1 || ((unsigned char *)buf)[0] != MARKER)
			return n;
		/* The marker only woke the caller; the events are drained. */
		pthread_mutex_lock(&mu);
		f = file_of(fd);
		if (f)
			f->marker_sent = 0;
		pthread_mutex_unlock(&mu);
	}
}

ssize_t write(int fd, const void *buf, size_t len)
{
	struct dfile *f;
	int err, cut;
	ssize_t n;

	init();
	pthread_mutex_lock(&mu);
	f = file_of(fd);
	err = f ? file_error(f) : 0;
	cut = f ? f->bufsize : 0;
	pthread_mutex_unlock(&mu);
	if (!f)
		return real_write(fd, buf, len);
	if (err) {
		errno = err;
		return -1;
	}
	/* dahdi_chan_write(): a write longer than the block size is cut, no error */
	n = real_write(fd, buf, len > (size_t)cut ? (size_t)cut : len);
	return n;
}

/* POLLPRI while an event is queued (docs/dahdi.md §1.3). */
int poll(struct pollfd *p, nfds_t n, int timeout)
{
	nfds_t i;
	int pri = 0, r;

	init();
	pthread_mutex_lock(&mu);
	for (i = 0; i < n; i++) {
		struct dfile *f = file_of(p[i].fd);

		if (f && f->count && (p[i].events & POLLPRI))
			pri = 1;
	}
	pthread_mutex_unlock(&mu);
	r = real_poll(p, n, pri ? 0 : timeout);
	if (r < 0)
		return r;
	pthread_mutex_lock(&mu);
	for (i = 0, r = 0; i < n; i++) {
		struct dfile *f = file_of(p[i].fd);

		if (f && f->count && (p[i].events & POLLPRI))
			p[i].revents |= POLLPRI;
		if (p[i].revents)
			r++;
	}
	pthread_mutex_unlock(&mu);
	return r;
}
