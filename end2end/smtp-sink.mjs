// A real SMTP server for the tests (nodemailer's smtp-server), started by the test run:
//   node end2end/smtp-sink.mjs [--fail N] [--delay-ms M] [--tls-key K --tls-cert C --user U --password P]
// It listens on a free port of 127.0.0.1 and prints one line `listening <port>`, then one JSON
// line per accepted message: {"to": [...], "from": "...", "subject": "...", "text": "...",
// "messageId": "..."} with the subject and body decoded (Cyrillic as written).
// --fail N answers the first N messages with a temporary failure (451) after their data;
// --delay-ms M waits M ms before accepting each message's data (a slow server).
// --tls-key/--tls-cert (PEM files) offer STARTTLS, and --user/--password then require that login,
// only over the upgraded connection (what a submission server on port 587 does); each message's
// line also says whether it came over TLS ("secure") and as whom ("user").
// Without them: plain SMTP without authentication, what a local relay offers.
import { readFileSync } from "node:fs";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const text = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
let failuresLeft = option("--fail", 0);
const delay = option("--delay-ms", 0);
const tlsKey = text("--tls-key");
const tlsCert = text("--tls-cert");
const user = text("--user");
const password = text("--password");

const security = tlsKey
  ? {
      key: readFileSync(tlsKey),
      cert: readFileSync(tlsCert),
      authOptional: !user,
      allowInsecureAuth: false,
      authMethods: ["PLAIN", "LOGIN"],
      onAuth(auth, session, callback) {
        if (auth.username === user && auth.password === password) return callback(null, { user });
        return callback(new Error("Invalid username or password"));
      },
    }
  : { authOptional: true, disabledCommands: ["STARTTLS", "AUTH"] };

const server = new SMTPServer({
  ...security,
  logger: false,
  size: 1024 * 1024,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (chunk) => chunks.push(chunk));
    stream.on("end", async () => {
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        const error = new Error("Try again later (test failure)");
        error.responseCode = 451;
        return callback(error);
      }
      try {
        const mail = await simpleParser(Buffer.concat(chunks));
        const line = {
          to: session.envelope.rcptTo.map((r) => r.address),
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          secure: session.secure,
          user: session.user ?? null,
        };
        process.stdout.write(JSON.stringify(line) + "\n");
        callback();
      } catch (e) {
        callback(e);
      }
    });
  },
});

// A client that gives up mid-handshake (it does not trust the certificate) is that client's
// problem: the server goes on.
server.on("error", (error) => process.stderr.write(`smtp-sink: ${error.message}\n`));
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
