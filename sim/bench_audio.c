/* SPDX-License-Identifier: MIT */
/*
 * bench_audio.c — the simulator's CPU for B-channel audio: SPANS
 * causeway-pstn-sim processes (one span each), CHANNELS answered calls per
 * span playing 1004 Hz, this program answering every frame through the
 * bridge's B-channel interface (bchan.h). For each of RUNS runs it reads
 * the simulators' user + system CPU (/proc/PID/stat) over SECONDS of audio
 * and prints it; then the median. A benchmark, never a test: the numbers
 * are printed, not checked.
 *
 * usage: cw-sim-audio-bench SIM_EXE [SPANS [CHANNELS [SECONDS [RUNS]]]]
 *        (defaults 30 30 10 3)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bchan.h"
#include "play.h"
#include "span_impl.h" /* a libpri CPE of its own */
#include "bench_stats.h"

#define MAX_SPANS 64

struct bspan {
	pid_t pid;
	char span_path[256], audio_path[256];
	struct cwi_span *span;
	struct cwi_bchan *audio;
	int up, answered;
	uint64_t frames;
};

static struct bspan spans[MAX_SPANS];
static int n_spans;
static uint8_t frame1004[CWI_BCHAN_FRAME];

static void on_event(struct cwi_span *sp, pri_event *ev, void *arg)
{
	struct bspan *b = arg;

	switch (ev->e) {
	case PRI_EVENT_DCHAN_UP:
		b->up = 1;
		break;
	case PRI_EVENT_ANSWER:
		b->answered++;
		(void)cwi_bchan_open(b->audio, ev->answer.channel & 0xff);
		break;
	case PRI_EVENT_HANGUP_REQ:
	case PRI_EVENT_HANGUP:
		pri_hangup(cwi_span_pri(sp), ev->hangup.call, ev->hangup.cause);
		break;
	default:
		break;
	}
}

/* 20 ms of 1004 Hz at -10 dBm0 (spandsp's tone_gen): one frame repeated is
 * load enough for the simulator, which measures whatever it gets. */
static void make_tone(enum cwi_bchan_law law)
{
	static const struct sim_play tone = { .kind = SIM_PLAY_TONE, .freq = { 1004, 0 },
	                                      .level = -10 };
	struct sim_player pl = { 0 };
	int16_t lin[CWI_BCHAN_FRAME];
	int i;

	(void)sim_player_start(&pl, &tone);
	sim_player_frame(&pl, lin, CWI_BCHAN_FRAME);
	sim_player_stop(&pl);
	for (i = 0; i < CWI_BCHAN_FRAME; i++)
		frame1004[i] = law == CWI_BCHAN_ULAW ? linear_to_ulaw(lin[i]) : linear_to_alaw(lin[i]);
}

static long cpu_ticks(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* proc(5): after "(comm)", state is field 3, utime 14, stime 15 */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

/* Every span's sockets, once: the D-channels, the frames answered frame for frame. */
static void pump(int timeout_ms)
{
	struct pollfd pfd[2 * MAX_SPANS];
	int i;

	for (i = 0; i < n_spans; i++) {
		pfd[2 * i] = (struct pollfd){ .fd = cwi_span_fd(spans[i].span), .events = POLLIN };
		pfd[2 * i + 1] = (struct pollfd){ .fd = cwi_bchan_fd(spans[i].audio, 1), .events = POLLIN };
	}
	(void)poll(pfd, (nfds_t)(2 * n_spans), timeout_ms);
	for (i = 0; i < n_spans; i++) {
		struct bspan *b = &spans[i];
		uint8_t in[CWI_BCHAN_FRAME];
		int ch;

		if (pfd[2 * i].revents)
			cwi_span_on_readable(b->span);
		cwi_span_run_timers(b->span);
		while (pfd[2 * i + 1].revents && cwi_bchan_read(b->audio, &ch, in) == CWI_BCHAN_FRAME) {
			(void)cwi_bchan_write(b->audio, ch, frame1004);
			b->frames++;
		}
	}
}

static int start_sim(const char *sim, const char *dir, int i, const char *rules)
{
	struct bspan *b = &spans[i];
	char report[300];
	pid_t pid;

	snprintf(b->span_path, sizeof(b->span_path), "%s/span%d.sock", dir, i);
	snprintf(b->audio_path, sizeof(b->audio_path), "%s/audio%d.sock", dir, i);
	snprintf(report, sizeof(report), "%s/report%d.jsonl", dir, i);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execl(sim, sim, "--span", b->span_path, "--audio", b->audio_path, "--rules", rules,
		      "--report", report, (char *)NULL);
		_exit(127);
	}
	b->pid = pid;
	return 0;
}

static int connect_span(struct bspan *b)
{
	struct cwi_dchan *d;
	int tries;

	for (tries = 0; tries < 300; tries++) {
		if (cwi_dchan_socket_connect(b->span_path, &d) == 0) {
			if (cwi_bchan_socket_connect(b->audio_path, CWI_BCHAN_ALAW, &b->audio) < 0) {
				cwi_dchan_free(d);
				return -1;
			}
			return cwi_span_new_libpri(&b->span, "bench", PRI_CPE, PRI_SWITCH_EUROISDN_E1, d, NULL,
			                   on_event, b);
		}
		usleep(10000);
	}
	return -1;
}

static void place_calls(struct bspan *b, int channels)
{
	struct pri *pri = cwi_span_pri(b->span);
	int i;

	for (i = 0; i < channels; i++) {
		struct pri_sr *sr = pri_sr_new();
		q931_call *call = pri_new_call(pri);
		char called[] = "100", calling[] = "4930555";

		pri_sr_set_channel(sr, 0, 0, 0);
		pri_sr_set_bearer(sr, PRI_TRANS_CAP_SPEECH, PRI_LAYER_1_ALAW);
		pri_sr_set_called(sr, called, PRI_UNKNOWN, 1);
		pri_sr_set_caller(sr, calling, NULL, PRI_UNKNOWN, PRES_ALLOWED_USER_NUMBER_NOT_SCREENED);
		(void)pri_setup(pri, call, sr);
		pri_sr_free(sr);
	}
}

static void stop_sims(void)
{
	int i;

	for (i = 0; i < n_spans; i++) {
		if (spans[i].pid > 0) {
			kill(spans[i].pid, SIGTERM);
			waitpid(spans[i].pid, NULL, 0);
			spans[i].pid = 0;
		}
	}
}

int main(int argc, char **argv)
{
	int channels = argc > 3 ? atoi(argv[3]) : 30, seconds = argc > 4 ? atoi(argv[4]) : 10;
	int runs = argc > 5 ? atoi(argv[5]) : 3, i, r, all;
	double cpu[16], hz = (double)sysconf(_SC_CLK_TCK), end;
	char dir[] = "/tmp/cw-sim-audio-bench.XXXXXX", rules[300];
	FILE *f;

	n_spans = argc > 2 ? atoi(argv[2]) : 30;
	if (argc < 2 || n_spans < 1 || n_spans > MAX_SPANS || channels < 1 || channels > 30 ||
	    seconds < 1 || runs < 1 || runs > 16) {
		fprintf(stderr, "usage: cw-sim-audio-bench SIM_EXE [SPANS<=64 [CHANNELS<=30 "
		        "[SECONDS [RUNS<=16]]]]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir))
		return 1;
	snprintf(rules, sizeof(rules), "%s/bench.rules", dir);
	f = fopen(rules, "w");
	if (!f)
		return 1;
	fprintf(f, "default answer 0 play tone 1004\n");
	fclose(f);
	make_tone(CWI_BCHAN_ALAW);
	for (i = 0; i < n_spans; i++)
		if (start_sim(argv[1], dir, i, rules) < 0 || connect_span(&spans[i]) < 0) {
			fprintf(stderr, "cw-sim-audio-bench: span %d did not start\n", i);
			stop_sims();
			return 1;
		}
	for (end = bench_now_ns() + 5e9, all = 0; !all && bench_now_ns() < end;) {
		pump(20);
		for (i = 0, all = 1; i < n_spans; i++)
			all &= spans[i].up;
	}
	for (i = 0; i < n_spans; i++)
		place_calls(&spans[i], channels);
	for (end = bench_now_ns() + 10e9, all = 0; !all && bench_now_ns() < end;) {
		pump(20);
		for (i = 0, all = 1; i < n_spans; i++)
			all &= spans[i].answered == channels;
	}
	if (!all) {
		fprintf(stderr, "cw-sim-audio-bench: not every call was answered\n");
		stop_sims();
		return 1;
	}
	printf("%d spans x %d channels of 20 ms G.711 (1004 Hz both ways), %d s per run\n",
	       n_spans, channels, seconds);
	for (r = 0; r < runs; r++) {
		long t0 = 0, t1 = 0;
		uint64_t frames = 0;
		double wall;

		for (i = 0; i < n_spans; i++) {
			t0 += cpu_ticks(spans[i].pid);
			frames -= spans[i].frames;
		}
		wall = bench_now_ns();
		for (end = wall + seconds * 1e9; bench_now_ns() < end;)
			pump(5);
		wall = (bench_now_ns() - wall) / 1e9;
		for (i = 0; i < n_spans; i++) {
			t1 += cpu_ticks(spans[i].pid);
			frames += spans[i].frames;
		}
		cpu[r] = (double)(t1 - t0) / hz / wall * 100.0;
		printf("run %d: simulators' CPU %.1f%% of one core, %.2f us per channel-frame, "
		       "%.0f frames/s answered (%.0f expected)\n", r + 1, cpu[r],
		       frames ? (double)(t1 - t0) / hz * 1e6 / (double)frames : 0.0,
		       (double)frames / wall, n_spans * channels * 50.0);
	}
	printf("median: simulators' CPU %.1f%% of one core for %d channels (%.3f%% per channel)\n",
	       bench_median(cpu, (size_t)runs), n_spans * channels,
	       bench_median(cpu, (size_t)runs) / (n_spans * channels));
	stop_sims();
	for (i = 0; i < n_spans; i++) {
		char p[300];

		snprintf(p, sizeof(p), "%s/report%d.jsonl", dir, i);
		unlink(p);
	}
	unlink(rules);
	rmdir(dir);
	return 0;
}
