/* SPDX-License-Identifier: MIT */
/*
 * bridge/metrics/text.c — the exposition's text, escaped (text.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

void cwmet_text_free(struct cwmet_text *t)
{
	free(t->buf);
	t->buf = NULL;
	t->len = t->cap = 0;
}

void cwmet_text_put(struct cwmet_text *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *b;

		while (cap < t->len + n + 1)
			cap *= 2;
		b = realloc(t->buf, cap);
		if (b == NULL) {
			t->failed = 1;
			return;
		}
		t->buf = b;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

void cwmet_text_str(struct cwmet_text *t, const char *s)
{
	cwmet_text_put(t, s, strlen(s));
}

void cwmet_text_escaped(struct cwmet_text *t, const char *s, int quote)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\n' ? "\\n"
		                : quote && *s == '"' ? "\\\"" : NULL;

		if (esc == NULL)
			continue;
		cwmet_text_put(t, run, (size_t)(s - run));
		cwmet_text_str(t, esc);
		run = s + 1;
	}
	cwmet_text_put(t, run, (size_t)(s - run));
}

void cwmet_text_number(struct cwmet_text *t, double v)
{
	char num[32];

	if (isnan(v))
		cwmet_text_str(t, "NaN");
	else if (isinf(v))
		cwmet_text_str(t, v > 0 ? "+Inf" : "-Inf");
	else {
		(void)snprintf(num, sizeof(num), "%.15g", v);
		cwmet_text_str(t, num);
	}
}

int cwmet_text_labels(struct cwmet_text *t, const char *const *names, const char *const *values,
                      size_t n)
{
	cwmet_text_put(t, "", 0); /* "" even when there are no labels */
	for (size_t i = 0; i < n; i++) {
		cwmet_text_str(t, i == 0 ? "{" : ",");
		cwmet_text_str(t, names[i]);
		cwmet_text_str(t, "=\"");
		cwmet_text_escaped(t, values && values[i] ? values[i] : "", 1);
		cwmet_text_str(t, "\"");
	}
	if (n > 0)
		cwmet_text_str(t, "}");
	return t->failed ? -ENOMEM : 0;
}
