// The few functions of TDLib's JSON interface (td/telegram/td_json_client.h) Gazette calls, reached through
// dlopen() so that Gazette builds and runs without the library: only the account commands need it.
#ifndef GAZETTE_CTDJSON_H
#define GAZETTE_CTDJSON_H

#include <stddef.h>

// Loads the library at `path` (a file name without a slash goes through the system loader's search path).
// Returns 0 on success; otherwise -1 with a one-line reason in `error`. Loading again returns 0 at once: the
// first library loaded stays for the life of the process.
int gazette_tdjson_load(const char *path, char *error, size_t error_size);

int gazette_td_create_client_id(void);
void gazette_td_send(int client_id, const char *request);
// The returned text belongs to TDLib and is valid until the next call of receive (or execute) on the same thread.
const char *gazette_td_receive(double timeout);
const char *gazette_td_execute(const char *request);

#endif
