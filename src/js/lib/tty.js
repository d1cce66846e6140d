// tty.js — Node.js's `tty`: isatty(fd), which packages ask before they color
// what they print (debug, morgan). Its ReadStream and WriteStream are not
// here: flx's process.stdout and stderr are not sockets.
(function (module, exports, native) {
  'use strict';
  exports.isatty = (fd) => Number.isInteger(fd) && fd >= 0 && native.isatty(fd);
});
