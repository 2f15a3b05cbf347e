/* SPDX-License-Identifier: MIT */
/*
 * bearer.c — the simulator's bearer words (bearer.h).
 */
#include <string.h>

#include <libpri.h>

#include "bearer.h"

static const struct {
	const char *name;
	int cap;
} bearers[] = {
	{ "speech", PRI_TRANS_CAP_SPEECH },
	{ "audio", PRI_TRANS_CAP_3_1K_AUDIO },
	{ "digital", PRI_TRANS_CAP_DIGITAL },
	{ "restricted", PRI_TRANS_CAP_RESTRICTED_DIGITAL },
	{ "video", PRI_TRANS_CAP_VIDEO },
};

const char *sim_bearer_name(int transfer_capability)
{
	size_t i;

	for (i = 0; i < sizeof(bearers) / sizeof(bearers[0]); i++)
		if (bearers[i].cap == transfer_capability)
			return bearers[i].name;
	return "other";
}

int sim_bearer_from_name(const char *name, int *ret)
{
	size_t i;

	for (i = 0; i < sizeof(bearers) / sizeof(bearers[0]); i++)
		if (strcmp(bearers[i].name, name) == 0) {
			*ret = bearers[i].cap;
			return 0;
		}
	return -1;
}

int sim_bearer_layer1(int transfer_capability)
{
	if (transfer_capability == PRI_TRANS_CAP_SPEECH ||
	    transfer_capability == PRI_TRANS_CAP_3_1K_AUDIO)
		return PRI_LAYER_1_ALAW;
	return -1; /* Q.931 §4.5.5: octet 5 is for the audio capabilities' coding */
}
