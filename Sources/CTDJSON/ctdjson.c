#include "ctdjson.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

typedef int (*create_client_id_fn)(void);
typedef void (*send_fn)(int, const char *);
typedef const char *(*receive_fn)(double);
typedef const char *(*execute_fn)(const char *);

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static void *library;
static create_client_id_fn td_create_client_id;
static send_fn td_send;
static receive_fn td_receive;
static execute_fn td_execute;

int gazette_tdjson_load(const char *path, char *error, size_t error_size) {
    pthread_mutex_lock(&load_lock);
    if (library != NULL) {
        pthread_mutex_unlock(&load_lock);
        return 0;
    }
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        snprintf(error, error_size, "%s", reason ? reason : "dlopen failed");
        pthread_mutex_unlock(&load_lock);
        return -1;
    }
    create_client_id_fn create = (create_client_id_fn)dlsym(handle, "td_create_client_id");
    send_fn send = (send_fn)dlsym(handle, "td_send");
    receive_fn receive = (receive_fn)dlsym(handle, "td_receive");
    execute_fn execute = (execute_fn)dlsym(handle, "td_execute");
    if (!create || !send || !receive || !execute) {
        snprintf(error, error_size, "%s does not export td_create_client_id, td_send, td_receive and td_execute", path);
        dlclose(handle);
        pthread_mutex_unlock(&load_lock);
        return -1;
    }
    td_create_client_id = create;
    td_send = send;
    td_receive = receive;
    td_execute = execute;
    library = handle;
    pthread_mutex_unlock(&load_lock);
    return 0;
}

int gazette_td_create_client_id(void) { return td_create_client_id(); }
void gazette_td_send(int client_id, const char *request) { td_send(client_id, request); }
const char *gazette_td_receive(double timeout) { return td_receive(timeout); }
const char *gazette_td_execute(const char *request) { return td_execute(request); }
