/* SPDX-License-Identifier: MIT */
/*
 * causeway/causeway.h — the whole public API of libcauseway.
 */
#ifndef CAUSEWAY_CAUSEWAY_H
#define CAUSEWAY_CAUSEWAY_H

#include <causeway/version.h>
#include <causeway/common.h>
#include <causeway/q850.h>
#include <causeway/sip.h>
#include <causeway/reason.h>
#include <causeway/map.h>

#endif /* CAUSEWAY_CAUSEWAY_H */
