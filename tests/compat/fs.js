// fs.js — file descriptors (open, write, read, fstat, fsync, close) in their
// Sync and callback forms, and their errors; tests/compat/fs.expected holds
// Node.js's answers.
const fs = require('fs');
const os = require('os');
const path = require('path');

if (fs.existsSync(path.join(os.tmpdir(), 'flx-compat-fs.txt'))) fs.unlinkSync(path.join(os.tmpdir(), 'flx-compat-fs.txt'));
const file = path.join(os.tmpdir(), 'flx-compat-fs.txt');
const out = [];
let fd = fs.openSync(file, 'w');
out.push('wrote ' + fs.writeSync(fd, 'hello ') + ' ' + fs.writeSync(fd, Buffer.from('world!'), 0, 5));
fs.fsyncSync(fd);
out.push('size ' + fs.fstatSync(fd).size + ' file ' + fs.fstatSync(fd).isFile());
fs.closeSync(fd);
fd = fs.openSync(file, 'r');
const buf = Buffer.alloc(8);
out.push('read ' + fs.readSync(fd, buf, 0, 5, 6) + ' ' + buf.toString('utf8', 0, 5));
out.push('read ' + fs.readSync(fd, buf, 0, 8, null) + ' ' + buf.toString());
out.push('read ' + fs.readSync(fd, buf, 0, 8, null));
fs.closeSync(fd);
fd = fs.openSync(file, 'a+');
fs.writeSync(fd, '.');
fs.closeSync(fd);
out.push('appended ' + fs.readFileSync(file, 'utf8'));
const st = fs.statSync(file);
out.push('mtime is mtimeMs rounded ' + (st.mtime.getTime() === Math.round(st.mtimeMs)));
for (const bad of [() => fs.openSync(path.join(os.tmpdir(), 'no', 'such', 'file'), 'r'),
  () => fs.openSync(file, 'wx'), () => fs.closeSync(999999), () => fs.openSync(file, 'q')]) {
  try { bad(); out.push('no error'); } catch (e) { out.push(e.code + ' ' + e.message.replace(os.tmpdir(), 'TMP')); }
}
console.log(out.join('\n'));

fs.open(file, 'r+', (err, fd2) => {
  const b = Buffer.alloc(5);
  fs.read(fd2, b, 0, 5, 0, (err2, n, same) => {
    console.log('callback read', err2, n, same === b, b.toString());
    fs.write(fd2, Buffer.from('J'), 0, 1, 0, (err3, w) => {
      console.log('callback write', err3, w);
      fs.fsync(fd2, (err4) => {
        fs.close(fd2, (err5) => {
          console.log('closed', err4, err5, fs.readFileSync(file, 'utf8'));
          fs.close(fd2, (err6) => {
            console.log('closed again', err6.code);
            fs.unlinkSync(file);
            process.exit(0);
          });
        });
      });
    });
  });
});
