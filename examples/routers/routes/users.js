const express = require('express');
const router = express.Router();

const users = [{ id: 1, name: 'ada' }, { id: 2, name: 'linus' }];

router.get('/', (req, res) => res.json(users));
router.get('/:id', (req, res) => {
  const user = users.find((u) => u.id === Number(req.params.id));
  if (!user) return res.status(404).json({ error: 'no such user' });
  res.json(user);
});

module.exports = router;
