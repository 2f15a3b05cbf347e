/* SPDX-License-Identifier: MIT */
/*
 * test_json.c — the JSON writer: escaping vectors in both string readings,
 * nesting and commas, structure errors, the three sinks and their limits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json.h"

#define S(lit) lit, sizeof(lit) - 1

/* One string value written into a buffer, as the writer escapes it. */
static const char *escaped(enum json_strings how, const char *s, size_t n)
{
	static char out[256];
	json_w w;

	json_init_buf(&w, out, sizeof(out));
	json_set_strings(&w, how);
	json_strn(&w, s, n);
	CHECK_INT(json_error(&w), 0);
	return out;
}

#define U JSON_STRINGS_UTF8
#define O JSON_STRINGS_OCTETS

static void test_escaping(void)
{
	static const struct {
		enum json_strings how;
		const char *in;
		size_t n;
		const char *out;
	} v[] = {
		{ U, S("plain"), "\"plain\"" },
		{ U, S(""), "\"\"" },
		/* RFC 8259 §7: quotation mark, reverse solidus, the short control escapes */
		{ U, S("a\"b\\c"), "\"a\\\"b\\\\c\"" },
		{ U, S("\n\r\t"), "\"\\n\\r\\t\"" },
		{ U, S("/"), "\"/\"" },
		/* the other controls, NUL among them, and DEL as \u00XX */
		{ U, S("\x01\x08\x0c\x1f"), "\"\\u0001\\u0008\\u000c\\u001f\"" },
		{ U, S("a\0b"), "\"a\\u0000b\"" },
		{ U, S("\x7f"), "\"\\u007f\"" },
		/* RFC 3629 §4: well-formed sequences of 2, 3 and 4 bytes are copied */
		{ U, S("Num\xc3\xa9ro \xe2\x82\xac \xf0\x9f\x93\x9e"),
		  "\"Num\xc3\xa9ro \xe2\x82\xac \xf0\x9f\x93\x9e\"" },
		{ U, S("\xc2\x80\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf"),
		  "\"\xc2\x80\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf\"" },
		/* anything else is U+FFFD, one per byte that is not part of a sequence */
		{ U, S("a\xff"), "\"a\\ufffd\"" },
		{ U, S("\xc0\xaf"), "\"\\ufffd\\ufffd\"" },             /* overlong "/" */
		{ U, S("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"" },   /* overlong, 3 bytes */
		{ U, S("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"" },   /* surrogate U+D800 */
		{ U, S("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
		{ U, S("\xf5\x80"), "\"\\ufffd\\ufffd\"" },
		{ U, S("x\xc3"), "\"x\\ufffd\"" },                       /* cut at the end */
		{ U, S("\xe2\x82" "a"), "\"\\ufffd\\ufffda\"" },         /* cut before ASCII */
		{ U, S("\x80"), "\"\\ufffd\"" },                         /* a lone continuation */
		/* octets: every byte outside 0x20..0x7e is one \u00XX, no short escapes */
		{ O, S("4930123456"), "\"4930123456\"" },
		{ O, S("a\"b\\c"), "\"a\\\"b\\\\c\"" },
		{ O, S(" ~"), "\" ~\"" },
		{ O, S("\n\t\x7f"), "\"\\u000a\\u0009\\u007f\"" },
		{ O, S("a\0b"), "\"a\\u0000b\"" },
		{ O, S("\xc3\xa9\xff"), "\"\\u00c3\\u00a9\\u00ff\"" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!CHECK_STR(escaped(v[i].how, v[i].in, v[i].n), v[i].out))
			fprintf(stderr, "  escaping vector %zu\n", i);
}

static void test_keys_escaped(void)
{
	char out[64];
	json_w w;

	json_init_buf(&w, out, sizeof(out));
	json_obj_begin(&w);
	json_key(&w, "a\"\n");
	json_int(&w, 1);
	json_obj_end(&w);
	CHECK_STR(out, "{\"a\\\"\\n\":1}");
}

static void test_nesting(void)
{
	char out[256];
	json_w w;

	json_init_buf(&w, out, sizeof(out));
	json_obj_begin(&w);
	json_key(&w, "a");
	json_arr_begin(&w);
	json_int(&w, 1);
	json_obj_begin(&w);
	json_key(&w, "b");
	json_null(&w);
	json_key(&w, "c");
	json_arr_begin(&w);
	json_arr_end(&w);
	json_obj_end(&w);
	json_str(&w, NULL);
	json_arr_end(&w);
	json_key(&w, "d");
	json_bool(&w, 1);
	json_key(&w, "e");
	json_bool(&w, 0);
	json_key(&w, "f");
	json_obj_begin(&w);
	json_obj_end(&w);
	json_obj_end(&w);
	json_newline(&w);
	CHECK_INT(json_error(&w), 0);
	CHECK_STR(out, "{\"a\":[1,{\"b\":null,\"c\":[]},null],\"d\":true,\"e\":false,\"f\":{}}\n");

	/* json_lines(): one element per line, still one array */
	json_init_buf(&w, out, sizeof(out));
	json_lines(&w);
	json_arr_begin(&w);
	json_obj_begin(&w);
	json_key(&w, "x");
	json_int(&w, 1);
	json_obj_end(&w);
	json_obj_begin(&w);
	json_obj_end(&w);
	json_arr_end(&w);
	CHECK_STR(out, "[\n{\"x\":1},\n{}\n]");

	/* JSON_MAX_DEPTH levels are fine, one more is JSON_EDEPTH */
	json_init_buf(&w, out, sizeof(out));
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_begin(&w);
	CHECK_INT(json_error(&w), 0);
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		json_arr_end(&w);
	CHECK_STR(out, "[[[[[[[[]]]]]]]]");
	json_init_buf(&w, out, sizeof(out));
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_arr_begin(&w);
	CHECK_INT(json_error(&w), JSON_EDEPTH);
	CHECK_STR(out, "[[[[[[[[");
}

static void test_numbers(void)
{
	char out[128];
	json_w w;

	json_init_buf(&w, out, sizeof(out));
	json_arr_begin(&w);
	json_int(&w, 0);
	json_int(&w, -1);
	json_int(&w, INT64_MAX);
	json_int(&w, INT64_MIN);
	json_double(&w, 0.5);
	json_double(&w, 1.0 / 3.0);
	json_double(&w, NAN);
	json_double(&w, -INFINITY);
	json_arr_end(&w);
	CHECK_STR(out, "[0,-1,9223372036854775807,-9223372036854775808,0.5,0.333333,null,null]");
}

/* Each misuse is JSON_ESTRUCT, sticks, and stops the output where it was. */
static void test_structure_errors(void)
{
	char out[64];
	json_w w;

	json_init_buf(&w, out, sizeof(out));
	json_key(&w, "k"); /* outside an object */
	CHECK_INT(json_error(&w), JSON_ESTRUCT);
	CHECK_STR(out, "");

	json_init_buf(&w, out, sizeof(out));
	json_obj_begin(&w);
	json_int(&w, 1); /* a value without its key */
	json_obj_end(&w);
	CHECK_INT(json_error(&w), JSON_ESTRUCT);
	CHECK_STR(out, "{");

	json_init_buf(&w, out, sizeof(out));
	json_obj_begin(&w);
	json_key(&w, "a");
	json_key(&w, "b"); /* two keys in a row */
	CHECK_INT(json_error(&w), JSON_ESTRUCT);

	json_init_buf(&w, out, sizeof(out));
	json_obj_begin(&w);
	json_key(&w, "a");
	json_obj_end(&w); /* a key without its value */
	CHECK_INT(json_error(&w), JSON_ESTRUCT);

	json_init_buf(&w, out, sizeof(out));
	json_arr_begin(&w);
	json_obj_end(&w); /* the wrong close */
	CHECK_INT(json_error(&w), JSON_ESTRUCT);

	json_init_buf(&w, out, sizeof(out));
	json_arr_end(&w); /* nothing open */
	json_arr_begin(&w);
	CHECK_INT(json_error(&w), JSON_ESTRUCT);
	CHECK_STR(out, "");
}

/* The caller's buffer: exactly full is fine, one byte short is JSON_EOVERFLOW. */
static void test_fixed_overflow(void)
{
	static const char want[] = "{\"key\":\"value\"}";
	char out[sizeof(want)];
	json_w w;

	json_init_buf(&w, out, sizeof(want));
	json_obj_begin(&w);
	json_key(&w, "key");
	json_str(&w, "value");
	json_obj_end(&w);
	CHECK_INT(json_error(&w), 0);
	CHECK_STR(out, want);
	CHECK_INT(json_length(&w), sizeof(want) - 1);

	json_init_buf(&w, out, sizeof(want) - 1);
	json_obj_begin(&w);
	json_key(&w, "key");
	json_str(&w, "value");
	CHECK_INT(json_error(&w), 0);
	json_obj_end(&w);
	CHECK_INT(json_error(&w), JSON_EOVERFLOW);
	CHECK_STR(out, "{\"key\":\"value\"");
	json_null(&w); /* sticky: nothing more is written */
	CHECK_INT(json_error(&w), JSON_EOVERFLOW);
	CHECK_STR(out, "{\"key\":\"value\"");

	/* an escape is never cut in half */
	json_init_buf(&w, out, 5);
	json_str(&w, "a\x01");
	CHECK_INT(json_error(&w), JSON_EOVERFLOW);
	CHECK_STR(out, "\"a");

	out[0] = 'x';
	json_init_buf(&w, out, 0);
	json_null(&w);
	CHECK_INT(json_error(&w), JSON_EOVERFLOW);
	CHECK(out[0] == 'x');
}

static void test_growable(void)
{
	char big[3000], *text = NULL;
	size_t len = 0;
	json_w w;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';

	/* grows past its first allocation, up to the limit exactly */
	json_init_grow(&w, sizeof(big) + 1);
	json_str(&w, big);
	CHECK_INT(json_take(&w, &text, &len), 0);
	CHECK_INT(len, sizeof(big) + 1);
	CHECK(text != NULL && text[0] == '"' && text[len - 1] == '"' && text[len] == '\0');
	free(text);

	/* one byte over the limit */
	text = NULL;
	json_init_grow(&w, sizeof(big));
	json_str(&w, big);
	CHECK_INT(json_error(&w), JSON_EOVERFLOW);
	CHECK_INT(json_take(&w, &text, &len), JSON_EOVERFLOW);
	CHECK(text == NULL);

	/* nothing written: an empty text */
	json_init_grow(&w, 16);
	CHECK_INT(json_take(&w, &text, &len), 0);
	CHECK(text != NULL && len == 0 && text[0] == '\0');
	free(text);

	/* taken while an object is open */
	text = NULL;
	json_init_grow(&w, 16);
	json_obj_begin(&w);
	CHECK_INT(json_take(&w, &text, &len), JSON_ESTRUCT);
	CHECK(text == NULL);

	json_init_grow(&w, 16);
	json_null(&w);
	json_discard(&w);
	CHECK_INT(json_error(&w), 0);
}

static void test_file(void)
{
	char out[64] = "";
	FILE *f = tmpfile();
	size_t n;
	json_w w;

	if (!CHECK(f != NULL))
		return;
	json_init(&w, f);
	json_obj_begin(&w);
	json_key(&w, "n");
	json_str(&w, "\xc3\xa9\xff");
	json_obj_end(&w);
	json_newline(&w);
	CHECK_INT(json_error(&w), 0);
	CHECK_INT(json_length(&w), 0);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	CHECK_STR(out, "{\"n\":\"\xc3\xa9\\ufffd\"}\n");
	fclose(f);

	/* a FILE that takes nothing */
	f = fopen("/dev/full", "w");
	if (f != NULL) {
		setvbuf(f, NULL, _IONBF, 0);
		json_init(&w, f);
		json_null(&w);
		CHECK_INT(json_error(&w), JSON_EIO);
		fclose(f);
	}
}

static void test_strerror(void)
{
	static const int codes[] = { JSON_OK, JSON_EOVERFLOW, JSON_ENOMEM, JSON_EIO, JSON_EDEPTH,
	                             JSON_ESTRUCT };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		CHECK(strcmp(json_strerror(codes[i]), json_strerror(99)) != 0);
}

int main(void)
{
	test_escaping();
	test_keys_escaped();
	test_nesting();
	test_numbers();
	test_structure_errors();
	test_fixed_overflow();
	test_growable();
	test_file();
	test_strerror();
	return check_done();
}
