// os.js — Node.js's `os` for what servers ask: tmpdir, homedir, hostname,
// platform, type, arch, EOL, cpus (count and model), totalmem, freemem,
// loadavg, uptime; read from /proc and the environment.
(function (module, exports, native) {
  'use strict';
  const read = (p) => { try { return Buffer.from(native.fs.read(p)).toString(); } catch (e) { return ''; } };
  const meminfo = (key) => {
    const m = new RegExp('^' + key + ':\\s+(\\d+)', 'm').exec(read('/proc/meminfo'));
    return m ? Number(m[1]) * 1024 : 0;
  };
  module.exports = {
    EOL: '\n',
    tmpdir: () => (process.env.TMPDIR || '/tmp').replace(/(.)\/$/, '$1'),
    homedir: () => process.env.HOME || '/',
    hostname: () => read('/proc/sys/kernel/hostname').trim() || 'localhost',
    platform: () => 'linux',
    type: () => 'Linux',
    arch: () => 'x64',
    release: () => read('/proc/sys/kernel/osrelease').trim(),
    endianness: () => 'LE',
    cpus: () => read('/proc/cpuinfo').split('\n\n').filter((b) => /^processor/m.test(b)).map((b) => {
      const model = /^model name\s*:\s*(.*)$/m.exec(b), mhz = /^cpu MHz\s*:\s*(.*)$/m.exec(b);
      return { model: model ? model[1] : 'unknown', speed: mhz ? Math.round(Number(mhz[1])) : 0,
        times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } };
    }),
    availableParallelism: () => native.workers,
    totalmem: () => meminfo('MemTotal'),
    freemem: () => meminfo('MemAvailable'),
    loadavg: () => read('/proc/loadavg').split(' ').slice(0, 3).map(Number),
    uptime: () => Number(read('/proc/uptime').split(' ')[0]) || 0,
    networkInterfaces: () => ({}),
    userInfo: () => ({ username: process.env.USER || 'root', homedir: process.env.HOME || '/', shell: process.env.SHELL || null, uid: 0, gid: 0 }),
  };
});
