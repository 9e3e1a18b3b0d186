// Baseline for bench:submit: plain node:http + better-sqlite3, the same schema, WAL and synchronous
// setting as the app, doing only the durable write of one response (response row + answer rows in one
// transaction) per request: no framework, no validation, no token look-up.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

const [file, port, synchronous] = process.argv.slice(2);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
db.pragma('busy_timeout = 5000');
const campaignId = db.prepare('SELECT id FROM campaigns LIMIT 1').get().id;
const unitId = db.prepare('SELECT id FROM units LIMIT 1').get().id;
const insertResponse = db.prepare(
  'INSERT INTO responses (id, campaign_id, unit_id, invitation_id, language, submitted_at) VALUES (?, ?, ?, NULL, ?, ?)',
);
const insertAnswer = db.prepare(
  'INSERT INTO answers (response_id, question_key, seq, campaign_id, num_value, text_value) VALUES (?, ?, 0, ?, ?, ?)',
);
const store = db.transaction((answers) => {
  const id = randomUUID();
  insertResponse.run(id, campaignId, unitId, 'en', new Date().toISOString());
  for (const [key, value] of Object.entries(answers)) {
    insertAnswer.run(
      id,
      key,
      campaignId,
      typeof value === 'number' ? value : null,
      typeof value === 'string' ? value : null,
    );
  }
});

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      store(JSON.parse(Buffer.concat(chunks).toString()).answers);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"received":true}');
    } catch {
      res.writeHead(500);
      res.end();
    }
  });
}).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
