const express = require('express');
const router = express.Router({ mergeParams: true });

router.use((req, res, next) => {
  res.set('X-Section', 'items');
  next();
});
router.route('/')
  .get((req, res) => res.json({ items: ['a', 'b'], base: req.baseUrl }))
  .post((req, res) => res.status(405).send('read only'));
router.get('/:item', (req, res) => res.send(`item ${req.params.item} of ${req.baseUrl}`));

module.exports = router;
