// A JSON API with async/await over fs.promises.
const express = require('express');
const fs = require('fs');
const path = require('path');

const app = express();
app.use(express.json());
const file = path.join(__dirname, 'books.json');

async function loadBooks() {
  const text = await fs.promises.readFile(file, 'utf8');
  return JSON.parse(text);
}

app.get('/api/books', async (req, res, next) => {
  try {
    const books = await loadBooks();
    const { author } = req.query;
    res.json(author ? books.filter((b) => b.author === author) : books);
  } catch (err) {
    next(err);
  }
});

app.get('/api/books/:id', async (req, res, next) => {
  try {
    const books = await loadBooks();
    const book = books.find((b) => b.id === req.params.id);
    if (!book) return res.status(404).json({ error: `no book ${req.params.id}` });
    res.json(book);
  } catch (err) {
    next(err);
  }
});

app.get('/api/stats', async (req, res) => {
  const stat = await fs.promises.stat(file);
  const books = await loadBooks();
  res.json({ books: books.length, bytes: stat.size, isFile: stat.isFile() });
});

app.listen(process.env.PORT || 3000);
