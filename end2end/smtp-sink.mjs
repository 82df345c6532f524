// A real SMTP server for the tests (nodemailer's smtp-server), started by the test run:
//   node end2end/smtp-sink.mjs [--fail N] [--delay-ms M]
// It listens on a free port of 127.0.0.1 and prints one line `listening <port>`, then one JSON
// line per accepted message: {"to": [...], "from": "...", "subject": "...", "text": "...",
// "messageId": "..."} with the subject and body decoded (Cyrillic as written).
// --fail N answers the first N messages with a temporary failure (451) after their data;
// --delay-ms M waits M ms before accepting each message's data (a slow server).
// Plain SMTP without authentication: what a local relay offers.
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
let failuresLeft = option("--fail", 0);
const delay = option("--delay-ms", 0);

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
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
        };
        process.stdout.write(JSON.stringify(line) + "\n");
        callback();
      } catch (e) {
        callback(e);
      }
    });
  },
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
