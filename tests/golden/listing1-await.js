const express = require('express');
const fs = require('fs');
const app = express();
let count = 0;

app.get('/', async (req, res) => {
  const data = await fs.promises.readFile(__filename);
  count += 1;
  res.send(`${count} ${data.length}`);
});

app.listen(8080);
