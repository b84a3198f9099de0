// After `./mvnw package -Dnative` (CI runs it with .ci/graalvm's native-image): checks what Quarkus prepared for the image
// builder, the arguments it passed and the reflection/resource configuration, which the builder takes as given.
// Usage: node .ci/check-native.mjs <dir where the runner jar's META-INF/native-image was extracted> <native-image args file>
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [configDir, argsFile] = process.argv.slice(2);
const reflect = JSON.parse(readFileSync(join(configDir, 'META-INF/native-image/reflect-config.json'), 'utf8'));
const resources = JSON.parse(readFileSync(join(configDir, 'META-INF/native-image/resource-config.json'), 'utf8'));
const args = readFileSync(argsFile, 'utf8').split('\n');
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

// Every type Jackson binds (Graph API bodies, operator API answers, what the bots are sent: the HTTP bot's contract,
// Lex's RecognizeText, Bedrock's Converse) must be reflectively constructible in the image. The bots' answers are read
// as JSON trees, which need no reflection.
const registered = new Map(reflect.map((c) => [c.name, c]));
const bound = [
  ['target/classes/dev/messengerhandover/graph', 'GraphModels$'],
  ['target/classes/dev/messengerhandover/admin', 'ThreadView'],
  ['target/classes/dev/messengerhandover/bot', 'HttpBotContract$'],
  ['target/classes/dev/messengerhandover/bot', 'BedrockBot$'],
  ['target/classes/dev/messengerhandover/bot', 'LexBot$RecognizeText'],
].flatMap(([dir, prefix]) => readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.class'))
  .map((f) => `${dir.replace('target/classes/', '').replaceAll('/', '.')}.${f.replace('.class', '')}`))
  .filter((name) => name !== 'dev.messengerhandover.graph.GraphModels')
  // javac's synthetic classes (an enum switch's map, Foo$1) are nobody's JSON.
  .filter((name) => !/\$\d+$/.test(name));
check(bound.length >= 30, `found the Jackson-bound records (${bound.length})`);
check(bound.includes('dev.messengerhandover.bot.BedrockBot$Converse')
  && bound.includes('dev.messengerhandover.bot.HttpBotContract$Request')
  && bound.includes('dev.messengerhandover.bot.LexBot$RecognizeText'), 'the bots\' request records are among them');
for (const name of bound) {
  const entry = registered.get(name);
  check(entry && (entry.allDeclaredConstructors || entry.methods) && (entry.allDeclaredMethods || entry.allPublicMethods),
    `${name} registered for reflection`);
}

const patterns = (resources.resources?.includes ?? []).map((i) => i.pattern);
// Patterns are Java regexes, literal parts often quoted as \\Q...\\E.
const matches = (pattern, path) => new RegExp(`^${pattern.replace(/\\Q(.*?)\\E/g,
  (_, literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))}$`).test(path);
check(patterns.some((p) => matches(p, 'bot-catalogue.json')), 'bot-catalogue.json included in the image');

check(args.includes('--no-fallback'), 'no JVM fallback image');
check(args.some((a) => a.startsWith('--features=') && a.includes('io.quarkus.runner.Feature')), 'Quarkus Feature');
check(!args.some((a) => /DynamoDBLocal|sqlite4java/.test(a)), 'no DynamoDB Local in the image');

if (failures.length) {
  console.error(`native readiness: ${failures.length} check(s) failed:\n  - ${failures.join('\n  - ')}`);
  process.exit(1);
}
console.log(`native readiness: ${bound.length} bound records registered, resources and build arguments as expected`);
