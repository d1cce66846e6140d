// A todo API over an in-memory array (modern style).
const express = require('express');

const app = express();
app.use(express.json());

const todos = [];
let nextId = 1;

function findTodo(id) {
  return todos.find((t) => t.id === Number(id));
}

app.get('/todos', (req, res) => {
  const { done } = req.query;
  const list = done === undefined ? todos : todos.filter((t) => String(t.done) === done);
  res.json(list);
});

app.post('/todos', (req, res) => {
  const { title } = req.body;
  if (!title) return res.status(400).json({ error: 'title is required' });
  const todo = { id: nextId++, title, done: false };
  todos.push(todo);
  res.status(201).json(todo);
});

app.get('/todos/:id', (req, res) => {
  const todo = findTodo(req.params.id);
  if (!todo) return res.status(404).json({ error: 'not found' });
  res.json(todo);
});

app.put('/todos/:id', (req, res) => {
  const todo = findTodo(req.params.id);
  if (!todo) return res.status(404).json({ error: 'not found' });
  Object.assign(todo, req.body, { id: todo.id });
  res.json(todo);
});

app.delete('/todos/:id', (req, res) => {
  const i = todos.findIndex((t) => t.id === Number(req.params.id));
  if (i < 0) return res.sendStatus(404);
  todos.splice(i, 1);
  res.sendStatus(204);
});

app.listen(process.env.PORT || 3000);
