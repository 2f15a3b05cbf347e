/* SPDX-License-Identifier: MIT */
/*
 * cdr.c — the CDR line of docs/cdr.md (version 1) and its file.
 */
#include "common/error.h"
#include "cdr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <causeway/causeway.h>

#include "json.h"

void cwcdr_init(struct cwcdr *cdr)
{
	memset(cdr, 0, sizeof(*cdr));
	cdr->cref_isdn = -1;
	cdr->answer_after_ms = -1;
	cdr->first_provisional_ms = -1;
	cdr->final_ms = -1;
	cdr->cause_sent.location = CW_LOCATION_UNKNOWN;
	cdr->cause_received.location = CW_LOCATION_UNKNOWN;
	cdr->cleared_by = "local";
	cdr->profile = "rfc3398";
}

/* docs/cdr.md `called`/`calling`: 1-31 of 0-9 * # + X; anything else is written as null. */
static const char *number_or_null(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (n == 0 || n > 31 || strspn(s, "0123456789*#+X") != n)
		return NULL;
	return s;
}

/*
 * docs/cdr.md `call_id_sip`: 1-1024 visible ASCII bytes. A Call-ID is a
 * word ["@" word] of visible characters (RFC 3261 §25.1); whatever else a
 * peer managed to send is written as '?', so the record is never lost.
 */
#define CDR_CALL_ID_MAX 1024
static const char *call_id_clean(const char *s, char buf[CDR_CALL_ID_MAX + 1])
{
	size_t i;

	if (s == NULL || s[0] == '\0')
		return s == NULL ? NULL : "?";
	for (i = 0; s[i] != '\0' && i < CDR_CALL_ID_MAX; i++)
		buf[i] = (s[i] > 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

static int cause_valid(const struct cwcdr_cause *c)
{
	if (!c->present)
		return 1;
	return c->cause >= 1 && c->cause <= 127 &&
	       (c->location == CW_LOCATION_UNKNOWN || (c->location >= 0 && c->location <= 15)) &&
	       cw_coding_standard_name(c->coding) != NULL;
}

/* The rules of docs/cdr.md "Rules that tie fields together", and each field's range. */
static int cdr_valid(const struct cwcdr *r)
{
	int64_t end = r->end_after_ms;

	if (r->call_id_sip == NULL && r->cref_isdn < 0)
		return 0;
	if (r->cref_isdn > 32767 || (r->cref_isdn >= 0 && (r->span < 1 || r->span > 127)))
		return 0;
	if (r->span < 0 || r->span > 127 || r->profile == NULL || r->cleared_by == NULL)
		return 0;
	if (r->direction != CWCDR_SIP_TO_ISDN && r->direction != CWCDR_ISDN_TO_SIP)
		return 0;
	if (r->t_start_ms < 0 || end < 0 || r->answer_after_ms > end ||
	    r->first_provisional_ms > end || r->final_ms > end)
		return 0;
	if ((r->answer_after_ms >= 0) != (r->answered != 0))
		return 0;
	if (r->first_provisional_ms >= 0 && r->final_ms >= 0 && r->first_provisional_ms > r->final_ms)
		return 0;
	if (r->final_ms >= 0 && r->sip_status == 0)
		return 0;
	if (r->answered ? (r->sip_status < 200 || r->sip_status > 299 || r->nattempts == 0)
	                : (r->sip_status != 0 && (r->sip_status < 300 || r->sip_status > 699)))
		return 0;
	if (r->warning != 0 && (r->warning < 100 || r->warning > 999))
		return 0;
	if (!cause_valid(&r->cause_sent) || !cause_valid(&r->cause_received))
		return 0;
	if (r->nreasons_sent > CWCDR_REASONS_MAX || r->nreasons_received > CWCDR_REASONS_MAX ||
	    r->nattempts > CWCDR_ATTEMPTS_MAX)
		return 0;
	for (size_t i = 0; i < r->nattempts; i++) {
		const struct cwcdr_attempt *a = &r->attempts[i];

		if (a->nreasons > CWCDR_REASONS_MAX)
			return 0;
		if (r->direction == CWCDR_ISDN_TO_SIP ? (a->target == NULL || a->span != 0 || a->cause != 0 ||
		                                          a->status < 200 || a->status > 699)
		                                       : (a->target != NULL || a->span < 1 || a->span > 127 ||
		                                          a->status != 0 || a->cause < 1 || a->cause > 127))
			return 0;
	}
	return 1;
}

static void put_int_or_null(json_w *w, const char *key, int64_t v, int is_null)
{
	json_key(w, key);
	if (is_null)
		json_null(w);
	else
		json_int(w, v);
}

static void put_cause(json_w *w, const char *key, const struct cwcdr_cause *c)
{
	json_key(w, key);
	if (!c->present) {
		json_null(w);
		return;
	}
	json_obj_begin(w);
	json_key(w, "cause");
	json_int(w, c->cause);
	json_key(w, "location");
	json_str(w, c->location == CW_LOCATION_UNKNOWN ? NULL : cw_location_name(c->location));
	json_key(w, "coding");
	json_str(w, cw_coding_standard_name(c->coding));
	json_key(w, "diagnostic");
	json_bool(w, c->diagnostic);
	json_obj_end(w);
}

static void put_strings(json_w *w, const char *key, const char *const *v, size_t n)
{
	if (key != NULL)
		json_key(w, key);
	json_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		json_str(w, v[i] != NULL ? v[i] : "");
	json_arr_end(w);
}

static void put_attempts(json_w *w, const struct cwcdr *r)
{
	json_key(w, "routes_tried");
	json_arr_begin(w);
	for (size_t i = 0; i < r->nattempts; i++) {
		const struct cwcdr_attempt *a = &r->attempts[i];

		json_obj_begin(w);
		json_key(w, "route");
		json_str(w, a->route);
		json_key(w, "target");
		json_str(w, a->target);
		put_int_or_null(w, "span", a->span, a->span == 0);
		put_int_or_null(w, "status", a->status, a->status == 0);
		put_int_or_null(w, "cause", a->cause, a->cause == 0);
		put_strings(w, "reasons", a->reasons, a->nreasons);
		json_obj_end(w);
	}
	json_arr_end(w);
}

/* The members in the order of docs/cdr.md "Fields". */
static void put_record(json_w *w, const struct cwcdr *r)
{
	char call_id[CDR_CALL_ID_MAX + 1];

	json_obj_begin(w);
	json_key(w, "v");
	json_int(w, CWCDR_VERSION);
	json_key(w, "call_id_sip");
	json_str(w, call_id_clean(r->call_id_sip, call_id));
	json_key(w, "sip_source");
	json_str(w, r->sip_source);
	json_key(w, "sip_transport");
	json_str(w, r->sip_transport);
	put_int_or_null(w, "cref_isdn", r->cref_isdn, r->cref_isdn < 0);
	put_int_or_null(w, "span", r->span, r->span == 0);
	json_key(w, "direction");
	json_str(w, r->direction == CWCDR_SIP_TO_ISDN ? "sip-to-isdn" : "isdn-to-sip");
	json_key(w, "called");
	json_str(w, number_or_null(r->called));
	json_key(w, "calling");
	json_str(w, number_or_null(r->calling));
	json_key(w, "presentation");
	json_str(w, r->presentation);
	json_key(w, "profile");
	json_str(w, r->profile);
	put_int_or_null(w, "t_start", r->t_start_ms, 0);
	put_int_or_null(w, "t_answer", r->t_start_ms + r->answer_after_ms, r->answer_after_ms < 0);
	put_int_or_null(w, "t_end", r->t_start_ms + r->end_after_ms, 0);
	put_int_or_null(w, "ms_to_first_provisional", r->first_provisional_ms,
	                r->first_provisional_ms < 0);
	put_int_or_null(w, "ms_to_final", r->final_ms, r->final_ms < 0);
	put_int_or_null(w, "sip_status", r->sip_status, r->sip_status == 0);
	put_int_or_null(w, "warning", r->warning,
	                r->warning == 0 || r->direction == CWCDR_SIP_TO_ISDN);
	put_cause(w, "cause_sent", &r->cause_sent);
	put_cause(w, "cause_received", &r->cause_received);
	put_strings(w, "reasons_sent", r->reasons_sent, r->nreasons_sent);
	put_strings(w, "reasons_received", r->reasons_received, r->nreasons_received);
	json_key(w, "cleared_by");
	json_str(w, r->cleared_by);
	put_attempts(w, r);
	json_key(w, "rules");
	json_obj_begin(w);
	json_key(w, "c2s");
	json_str(w, r->rule_c2s);
	json_key(w, "s2c");
	json_str(w, r->rule_s2c);
	json_key(w, "location");
	json_str(w, r->rule_location);
	json_obj_end(w);
	json_key(w, "answered");
	json_bool(w, r->answered);
	json_key(w, "node");
	json_str(w, r->node);
	json_key(w, "bearer");
	json_str(w, r->bearer);
	json_obj_end(w);
}

int cwcdr_format(const struct cwcdr *cdr, char **ret_line, size_t *ret_len)
{
	json_w w;
	int rc;

	if (cdr == NULL || ret_line == NULL || ret_len == NULL || !cdr_valid(cdr))
		return -EINVAL;
	json_init_grow(&w, CWCDR_LINE_MAX + 1); /* the line and its LF */
	put_record(&w, cdr);
	json_newline(&w);
	rc = json_take(&w, ret_line, ret_len);
	switch (rc) {
	case 0: return 0;
	case JSON_EOVERFLOW: return CWCOM_ELIMIT;
	case JSON_ENOMEM: return -ENOMEM;
	default: return -EINVAL; /* not reached: put_record() opens and closes in pairs */
	}
}

struct cwcdr_file {
	char *path;
	int fd;
};

static int open_append(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);

	return fd < 0 ? -errno : fd;
}

int cwcdr_file_open(const char *path, struct cwcdr_file **ret)
{
	struct cwcdr_file *file;
	int fd;

	if (path == NULL || ret == NULL)
		return -EINVAL;
	file = calloc(1, sizeof(*file));
	if (file == NULL)
		return -ENOMEM;
	file->path = strdup(path);
	if (file->path == NULL) {
		free(file);
		return -ENOMEM;
	}
	fd = open_append(path);
	if (fd < 0) {
		free(file->path);
		free(file);
		return fd;
	}
	file->fd = fd;
	*ret = file;
	return 0;
}

int cwcdr_file_append(struct cwcdr_file *file, const char *line, size_t len)
{
	ssize_t n;

	if (file == NULL || line == NULL || len == 0)
		return -EINVAL;
	do
		n = write(file->fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO; /* a short write on a full disk: the line is incomplete */
	if (fdatasync(file->fd) != 0 && errno != EINVAL) /* EINVAL: a pipe or /dev/stdout */
		return -errno;
	return 0;
}

int cwcdr_file_reopen(struct cwcdr_file *file)
{
	int fd;

	if (file == NULL)
		return -EINVAL;
	fd = open_append(file->path);
	if (fd < 0)
		return fd; /* keep writing to the old file rather than lose records */
	close(file->fd);
	file->fd = fd;
	return 0;
}

void cwcdr_file_close(struct cwcdr_file *file)
{
	if (file == NULL)
		return;
	close(file->fd);
	free(file->path);
	free(file);
}
