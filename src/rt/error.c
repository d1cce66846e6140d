/* error.c — error names and messages for flx's negative errno-style codes. */
#include "internal.h"

#include <string.h>

const char *flx_strerror(int err) {
  switch (err) {
#define FLX__ERR_MSG(name, msg) case FLX_##name: return msg;
    FLX_ERRNO_MAP(FLX__ERR_MSG)
#undef FLX__ERR_MSG
  }
  return uv_strerror(err);   /* libuv knows every other errno */
}

const char *flx_err_name(int err) {
  switch (err) {
#define FLX__ERR_NAME(name, msg) case FLX_##name: return #name;
    FLX_ERRNO_MAP(FLX__ERR_NAME)
#undef FLX__ERR_NAME
  }
  return uv_err_name(err);
}
