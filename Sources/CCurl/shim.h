#ifndef TILL_CCURL_SHIM_H
#define TILL_CCURL_SHIM_H

#include <curl/curl.h>
#include <sys/prctl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call.
   These typed wrappers give each argument type its own entry point. */

typedef size_t (*till_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*till_curl_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size,
                                        void *userdata);
typedef int (*till_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                           curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode till_easy_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode till_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode till_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode till_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode till_easy_setopt_slist(CURL *handle, CURLoption option,
                                              struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode till_easy_setopt_write_function(CURL *handle, CURLoption option,
                                                       till_curl_write_callback value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode till_easy_setopt_debug_function(CURL *handle,
                                                       till_curl_debug_callback value) {
  return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, value);
}

static inline CURLcode till_easy_setopt_xferinfo_function(CURL *handle,
                                                          till_curl_xferinfo_callback value) {
  return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode till_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode till_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode till_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
  return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode till_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
  return curl_easy_getinfo(handle, info, value);
}

/* curl_multi_setopt is variadic too. */

static inline CURLMcode till_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
  return curl_multi_setopt(multi, option, value);
}

/* CURLMsg's data is a union, which Swift imports awkwardly: this reads a finished transfer's
   result. */

static inline CURLcode till_multi_message_result(const CURLMsg *message) {
  return message->data.result;
}

/* prctl is variadic as well: this one call marks the process as not dumpable (no core file,
   no ptrace attach by the user's other processes). */

static inline int till_prctl_disable_dumping(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

#endif
