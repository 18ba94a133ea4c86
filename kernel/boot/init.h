/*
 * Start initConfig.init from the validated manifest with its kernel caps.
 */
#pragma once

void init_start(void);
