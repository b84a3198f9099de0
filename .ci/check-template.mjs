// Checks the CloudFormation template that `serverless package` wrote for one variant (native or jvm):
// the deployment promises README makes, checked on what would actually be deployed.
// Usage: node .ci/check-template.mjs <native|jvm> [pages-secret=<name>] [alert-email=<address>] [queue-index=false]
//          [bot=<catalogue|http|lex|bedrock>] [bot-url=<url>] [lex-bot=<bot id>/<alias id>]
//          [bedrock-model=<model id>] [bedrock-profile=<inference profile id>] [guardrail=<id>[/<version>]]
//          [.serverless/cloudformation-template-update-stack.json]
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const variant = process.argv[2];
// "pages-secret=<name>", "alert-email=<address>": the template was packaged with --param="pagesSecret=<name>",
// --param="alertEmail=<address>".
const isOption = (a) => /^[a-z-]+=/.test(a);
const options = Object.fromEntries(process.argv.slice(3).filter(isOption)
  .map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
const pagesSecret = options['pages-secret'] ?? '';
const alertEmail = options['alert-email'] ?? '';
// "queue-index=false": packaged with --param="queueIndex=false" (the first of two deploys that add the indexes).
const queueIndex = options['queue-index'] ?? 'true';
// The bot: packaged with --param="bot=<kind>" and that kind's params (bot-url: botUrl; lex-bot: lexBotId/lexBotAliasId;
// bedrock-model, bedrock-profile: bedrockModel, bedrockInferenceProfile; guardrail: bedrockGuardrail[/Version]).
const bot = options.bot ?? 'catalogue';
const botUrl = options['bot-url'] ?? '';
const [lexBotId, lexAliasId] = (options['lex-bot'] ?? '/').split('/');
const bedrockModel = options['bedrock-model'] ?? 'amazon.nova-micro-v1:0';
const bedrockProfile = options['bedrock-profile'] ?? '';
const [guardrail, guardrailVersion] = [...(options.guardrail ?? '').split('/'), ''];
const file = process.argv.slice(3).find((a) => !isOption(a)) ?? '.serverless/cloudformation-template-update-stack.json';
const template = JSON.parse(readFileSync(file, 'utf8'));
// Whether a condition holds as packaged (the parameters are literals by then): what CloudFormation will decide.
const holds = (name) => {
  const evaluate = (c) => {
    if (c?.Condition) return holds(c.Condition);
    if (c?.['Fn::Equals']) return isDeepStrictEqual(c['Fn::Equals'][0], c['Fn::Equals'][1]);
    if (c?.['Fn::Not']) return !evaluate(c['Fn::Not'][0]);
    if (c?.['Fn::And']) return c['Fn::And'].every(evaluate);
    if (c?.['Fn::Or']) return c['Fn::Or'].some(evaluate);
    throw new Error(`condition ${name}: cannot evaluate ${JSON.stringify(c)}`);
  };
  if (!(name in (template.Conditions ?? {}))) throw new Error(`no condition ${name}`);
  return evaluate(template.Conditions[name]);
};
const NO_VALUE = { Ref: 'AWS::NoValue' };
// A value as CloudFormation deploys it: every Fn::If resolved, AWS::NoValue dropped from lists and objects.
const resolved = (value) => {
  if (Array.isArray(value)) return value.map(resolved).filter((v) => !isDeepStrictEqual(v, NO_VALUE));
  if (value && typeof value === 'object') {
    if (value['Fn::If']) {
      const [condition, then, otherwise] = value['Fn::If'];
      return resolved(holds(condition) ? then : otherwise);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v)])
      .filter(([, v]) => !isDeepStrictEqual(v, NO_VALUE)));
  }
  return value;
};
const resources = Object.entries(template.Resources);
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const ofType = (type) => resources.filter(([, r]) => r.Type === type);
const one = (type) => {
  const found = ofType(type);
  check(found.length === 1, `exactly one ${type} (found ${found.length})`);
  return found[0]?.[1] ?? { Properties: {} };
};

const fn = one('AWS::Lambda::Function').Properties;
const env = fn.Environment?.Variables ?? {};
if (variant === 'native') {
  check(fn.Runtime === 'provided.al2023', `native runtime is provided.al2023 (got ${fn.Runtime})`);
  check(fn.MemorySize >= 128 && fn.MemorySize <= 256, `native memory within 128-256 MB (got ${fn.MemorySize})`);
  check(!fn.SnapStart, 'no SnapStart on the native function');
} else if (variant === 'jvm') {
  check(fn.Runtime === 'java21', `jvm runtime is java21 (got ${fn.Runtime})`);
  check(fn.Handler === 'dev.messengerhandover.http.LambdaHandler::handleRequest', 'jvm handler');
  check(fn.SnapStart?.ApplyOn === 'PublishedVersions', 'SnapStart on published versions');
  const alias = one('AWS::Lambda::Alias').Properties;
  const integration = one('AWS::ApiGatewayV2::Integration').Properties;
  check(JSON.stringify(integration.IntegrationUri).includes(alias.Name),
    'the HTTP API invokes the SnapStart alias, not $LATEST');
} else {
  throw new Error('variant must be native or jvm');
}
check(/function\.zip$/.test(fn.Code?.S3Key ?? ''), 'artifact is target/function.zip');
check(JSON.stringify(fn.Architectures) === '["x86_64"]', 'x86_64 by default');
check(fn.Timeout <= 29, 'timeout below the HTTP API limit');
// The function's deadline is its delivery budget (15 s by default, HANDOVER_DELIVERY_BUDGET when set), capped by what
// Lambda leaves: a timeout past Messenger's 20 s buys nothing, one under the budget and a second would cut it short.
const budget = Number((/^PT(\d+(?:\.\d+)?)S$/.exec(env.HANDOVER_DELIVERY_BUDGET ?? 'PT15S') ?? [])[1]);
check(fn.Timeout === 20, `timeout is Messenger's 20 s (was ${fn.Timeout})`);
check(budget >= 10 && budget + 1 <= fn.Timeout, `delivery budget (${budget} s) between 10 s and the timeout less 1 s`);
check(env.DISABLE_SIGNAL_HANDLERS === 'true', 'DISABLE_SIGNAL_HANDLERS=true');
check(env.HANDOVER_CREATE_TABLE === 'false', 'the table is never created at run time in AWS');
check(JSON.stringify(env.HANDOVER_TABLE) === JSON.stringify({ Ref: 'ThreadsTable' }), 'table name passed to the function');
for (const secret of ['MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN', 'HANDOVER_ADMIN_API_KEY']) {
  check(typeof env[secret] === 'string' && env[secret].startsWith('{{resolve:secretsmanager:'),
    `${secret} resolved from Secrets Manager at deploy time, never a literal`);
}
// One Page: its token from the stage's secret; several: none, the Pages' secret named instead.
const token = env.MESSENGER_PAGE_ACCESS_TOKEN?.['Fn::If'];
check(Array.isArray(token) && token[0] === 'HasPagesSecret' && token[1] === ''
  && String(token[2]).startsWith('{{resolve:secretsmanager:'),
  'MESSENGER_PAGE_ACCESS_TOKEN from Secrets Manager unless a Pages secret is given');
check(env.HANDOVER_PAGES_SECRET === pagesSecret, `HANDOVER_PAGES_SECRET is the pagesSecret parameter (${pagesSecret})`);
// A condition "the parameter is not empty", as packaged: { Fn::Not: [{ Fn::Equals: [<value>, ''] }] }.
const notEmpty = (name, value) => check(
  isDeepStrictEqual(template.Conditions?.[name], { 'Fn::Not': [{ 'Fn::Equals': [value, ''] }] }),
  `${name}: the parameter ('${value}' here) is not empty (got ${JSON.stringify(template.Conditions?.[name])})`);
notEmpty('HasPagesSecret', pagesSecret);
check(isDeepStrictEqual(env.HANDOVER_ALERTS_TOPIC_ARN, { Ref: 'AlertsTopic' }),
  'HANDOVER_ALERTS_TOPIC_ARN is the topic');
for (const key of ['MESSENGER_APP_ID', 'MESSENGER_PAGE_INBOX_APP_ID', 'MESSENGER_GRAPH_API_VERSION']) {
  check(key in env, `${key} set`);
}

// The bot: its kind, and each of its settings only for the bot that reads it; the HTTP bot's secret from the stage's
// secret at deploy time, never a literal.
for (const [condition, kind] of [['IsHttpBot', 'http'], ['IsLexBot', 'lex'], ['IsBedrockBot', 'bedrock']]) {
  check(isDeepStrictEqual(template.Conditions?.[condition], { 'Fn::Equals': [bot, kind] }),
    `${condition}: the bot parameter ('${bot}' here) is ${kind} (got ${JSON.stringify(template.Conditions?.[condition])})`);
}
check(env.HANDOVER_BOT === bot, `HANDOVER_BOT is the bot parameter (${bot}; got ${env.HANDOVER_BOT})`);
const botEnv = Object.fromEntries(Object.entries(resolved(env)).filter(([k]) => k.startsWith('HANDOVER_BOT_')));
const secretRef = botEnv.HANDOVER_BOT_HTTP_SECRET;
const expectedBotEnv = {
  catalogue: {},
  http: { HANDOVER_BOT_HTTP_URL: botUrl, HANDOVER_BOT_HTTP_SECRET: secretRef },
  lex: { HANDOVER_BOT_LEX_BOT_ID: lexBotId, HANDOVER_BOT_LEX_ALIAS_ID: lexAliasId, HANDOVER_BOT_LEX_LOCALE: 'en_US' },
  bedrock: {
    HANDOVER_BOT_BEDROCK_MODEL_ID: bedrockProfile || bedrockModel,
    ...(guardrail ? { HANDOVER_BOT_BEDROCK_GUARDRAIL_IDENTIFIER: guardrail } : {}),
    ...(guardrail && guardrailVersion ? { HANDOVER_BOT_BEDROCK_GUARDRAIL_VERSION: guardrailVersion } : {}),
  },
}[bot];
check(expectedBotEnv, `bot is one of catalogue, http, lex, bedrock (got ${bot})`);
check(isDeepStrictEqual(botEnv, expectedBotEnv ?? {}),
  `the ${bot} bot's settings, and no other bot's (got ${JSON.stringify(botEnv)})`);
if (bot === 'http') {
  check(typeof secretRef === 'string' && /^\{\{resolve:secretsmanager:[^:]+:SecretString:HANDOVER_BOT_HTTP_SECRET\}\}$/
    .test(secretRef), `HANDOVER_BOT_HTTP_SECRET resolved from the stage's secret at deploy time (got ${secretRef})`);
}

// The key schema and TTL attribute must be the ones the code writes: read them from the store's source.
const store = readFileSync('src/main/java/dev/messengerhandover/store/ThreadItems.java', 'utf8');
const constant = (name) => store.match(new RegExp(`static final String ${name} = "([^"]+)"`))?.[1];
const [pk, sk, ttl] = ['PK', 'SK', 'TTL_ATTRIBUTE'].map(constant);
check(pk && sk && ttl, 'key and TTL attribute names found in ThreadItems.java');
// The table as deployed: HasQueueIndex's Fn::If resolved, AWS::NoValue dropped.
check(isDeepStrictEqual(template.Conditions?.HasQueueIndex, { 'Fn::Equals': [queueIndex, 'true'] }),
  `HasQueueIndex on the queueIndex parameter ('${queueIndex}' here)`);
const deployed = (value) => {
  if (Array.isArray(value)) return value.map(deployed).filter((v) => !isDeepStrictEqual(v, { Ref: 'AWS::NoValue' }));
  if (value && typeof value === 'object') {
    const [condition, then, otherwise] = value['Fn::If'] ?? [];
    if (condition === 'HasQueueIndex') return deployed(queueIndex === 'true' ? then : otherwise);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v)]));
  }
  return value;
};
const table = deployed(one('AWS::DynamoDB::Table').Properties);
const withQueue = queueIndex === 'true';
check(table.BillingMode === 'PAY_PER_REQUEST', 'on-demand table');
check(JSON.stringify(table.KeySchema) === JSON.stringify([
  { AttributeName: pk, KeyType: 'HASH' }, { AttributeName: sk, KeyType: 'RANGE' }]), `key schema ${pk}/${sk}`);
check(JSON.stringify(table.AttributeDefinitions) === JSON.stringify([
  { AttributeName: pk, AttributeType: 'S' }, { AttributeName: sk, AttributeType: 'S' },
  { AttributeName: 'dueAccount', AttributeType: 'S' }, { AttributeName: 'dueAt', AttributeType: 'N' },
  ...(withQueue ? [{ AttributeName: 'queue', AttributeType: 'S' }, { AttributeName: 'queueSince', AttributeType: 'N' }]
    : [])]),
  `string keys, the indexes' keys S/N (got ${JSON.stringify(table.AttributeDefinitions)})`);
// The sweep queries "due" (dueAccount = :account AND dueAt <= :now), the queue API "queue"; keys only, on demand.
const keysOnlyIndex = (name, hash, range) => ({
  IndexName: name,
  KeySchema: [{ AttributeName: hash, KeyType: 'HASH' }, { AttributeName: range, KeyType: 'RANGE' }],
  Projection: { ProjectionType: 'KEYS_ONLY' },
});
check(isDeepStrictEqual(table.GlobalSecondaryIndexes, [
  keysOnlyIndex('due', 'dueAccount', 'dueAt'), ...(withQueue ? [keysOnlyIndex('queue', 'queue', 'queueSince')] : [])]),
  `indexes due (dueAccount/dueAt) and queue (queue/queueSince), keys only, no throughput of their own (got ${
    JSON.stringify(table.GlobalSecondaryIndexes)})`);
check(table.TimeToLiveSpecification?.AttributeName === ttl && table.TimeToLiveSpecification?.Enabled === true,
  `TTL on ${ttl}`);
check(table.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true, 'point-in-time recovery on');
check(table.DeletionProtectionEnabled === true, 'deletion protection on by default');

// The routes deployed (a route under a condition only when it holds): an HTTP bot's later messages only with bot=http.
const deployedRoutes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => !r.Condition || holds(r.Condition));
const routes = deployedRoutes.map(([, r]) => r.Properties.RouteKey).sort();
const botRoute = 'POST /bot/{accountId}/{userId}/messages';
check(JSON.stringify(routes) === JSON.stringify([
  'GET /accounts', 'GET /threads/{pageId}', 'GET /threads/{pageId}/{userId}', 'GET /webhook',
  ...(bot === 'http' ? [botRoute] : []), 'POST /threads/{pageId}/{userId}/take', 'POST /webhook'].sort()),
  `routes (got ${routes})`);
const targetOf = (key) => deployedRoutes.find(([, r]) => r.Properties.RouteKey === key)?.[1].Properties.Target;
if (bot === 'http') {
  check(isDeepStrictEqual(targetOf(botRoute), targetOf('POST /webhook')),
    `${botRoute} reaches the function as the webhook does (got ${JSON.stringify(targetOf(botRoute))})`);
}

// Alerts: one topic for the stage; an e-mail subscription to it only when --param="alertEmail=..." is given.
const topics = ofType('AWS::SNS::Topic');
check(topics.length === 1 && topics[0][0] === 'AlertsTopic',
  `one SNS topic, AlertsTopic (got ${topics.map(([id]) => id)})`);
check(template.Resources.AlertsTopic?.Properties?.TopicName === `${table.TableName}-alerts`,
  `topic named ${table.TableName}-alerts (got ${template.Resources.AlertsTopic?.Properties?.TopicName})`);
notEmpty('HasAlertEmail', alertEmail);
const subscriptions = ofType('AWS::SNS::Subscription');
check(subscriptions.length === 1 && isDeepStrictEqual(subscriptions[0][1], {
  Type: 'AWS::SNS::Subscription', Condition: 'HasAlertEmail',
  Properties: { TopicArn: { Ref: 'AlertsTopic' }, Protocol: 'email', Endpoint: alertEmail },
}), `one e-mail subscription of ${alertEmail || '(no address)'} to AlertsTopic, only under HasAlertEmail (got ${
  JSON.stringify(subscriptions)})`);

// Nothing from the internet reaches the sweep: no route for it, no catch-all, no function URL.
for (const route of routes) {
  check(!route.includes('/internal') && route !== '$default' && !route.includes('{proxy+}')
    && !route.startsWith('ANY '),
    `no route to /internal/sweep and no catch-all route (got ${route})`);
}
check(ofType('AWS::Lambda::Url').length === 0, 'no function URL');

// The sweep: one EventBridge rule, every minute, invoking the function (the SnapStart alias for jvm, like the HTTP
// API) with exactly the constant event of src/test/resources/events/scheduled-sweep.json.
const sweepEvent = JSON.parse(readFileSync('src/test/resources/events/scheduled-sweep.json', 'utf8'));
check(sweepEvent.rawPath === '/internal/sweep' && !('apiId' in (sweepEvent.requestContext ?? {})),
  'the sweep event is POST /internal/sweep without an apiId (the function refuses the path with one)');
const rules = ofType('AWS::Events::Rule');
check(rules.length === 1, `one EventBridge rule (found ${rules.length})`);
const [ruleId, rule] = rules[0] ?? ['', { Properties: {} }];
check(rule.Properties.ScheduleExpression === 'rate(1 minute)' && rule.Properties.State === 'ENABLED',
  `the sweep runs every minute (got ${rule.Properties.ScheduleExpression}, ${rule.Properties.State})`);
const targets = rule.Properties.Targets ?? [];
let input;
try { input = JSON.parse(targets[0]?.Input); } catch { input = undefined; }
check(targets.length === 1 && isDeepStrictEqual(input, sweepEvent),
  `the schedule's input is the event in scheduled-sweep.json (got ${targets[0]?.Input})`);
const permissions = ofType('AWS::Lambda::Permission').map(([, p]) => p.Properties);
const apiPermission = permissions.find((p) => p.Principal === 'apigateway.amazonaws.com');
check(isDeepStrictEqual(targets[0]?.Arn, apiPermission?.FunctionName),
  `the schedule invokes what the HTTP API invokes (got ${JSON.stringify(targets[0]?.Arn)})`);
check(permissions.length === 2 && permissions.every((p) => p.Action === 'lambda:InvokeFunction'),
  `two invoke permissions, the HTTP API's and the schedule's (got ${JSON.stringify(permissions)})`);
check(JSON.stringify(apiPermission?.SourceArn ?? '').includes('{"Ref":"HttpApi"}'),
  'the HTTP API may invoke, only this API');
const schedulePermission = permissions.find((p) => p.Principal === 'events.amazonaws.com');
check(isDeepStrictEqual(schedulePermission?.SourceArn, { 'Fn::GetAtt': [ruleId, 'Arn'] })
  && isDeepStrictEqual(schedulePermission?.FunctionName, targets[0]?.Arn),
  `EventBridge may invoke the function for the sweep's rule only (got ${JSON.stringify(schedulePermission)})`);
const invokeConfig = one('AWS::Lambda::EventInvokeConfig').Properties;
check(invokeConfig.MaximumRetryAttempts === 0, 'a failed sweep is not retried (the next one comes a minute later)');

const logs = one('AWS::Logs::LogGroup').Properties;
check(Number.isInteger(logs.RetentionInDays), 'log retention set');

// Least privilege: one role, only the calls the code makes, only on this function's log group and table.
const roles = ofType('AWS::IAM::Role');
check(roles.length === 1, `one IAM role (found ${roles.length})`);
// A statement under a condition is { "Fn::If": [condition, statement, { Ref: AWS::NoValue }] }: checked as the
// statement it is when the condition holds.
const allStatements = roles.flatMap(([, r]) => r.Properties.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement)
  .map((s) => s['Fn::If'] ? { ...s['Fn::If'][1], condition: s['Fn::If'][0] } : s);
// The Pages secret's statement is checked as packaged (below); the bot's are checked as deployed: only the statements
// for the bot chosen.
const statements = allStatements.filter((s) => !s.condition || s.condition === 'HasPagesSecret' || holds(s.condition));
for (const s of statements) {
  const actions = [s.Action].flat();
  check(s.Effect === 'Allow', 'allow statements only');
  check(actions.every((a) => !a.includes('*')), `no wildcard action (${actions})`);
  check(!JSON.stringify(s.Resource).includes('"*"'), `no wildcard resource (${JSON.stringify(s.Resource)})`);
}
// Every action with exactly the resources it may act on (CloudFormation expressions as packaged).
const granted = {};
for (const s of statements) {
  for (const action of [s.Action].flat()) {
    granted[action] = [...(granted[action] ?? []), ...[s.Resource].flat().map((r) => JSON.stringify(r))].sort();
  }
}
const tableArn = JSON.stringify({ 'Fn::GetAtt': ['ThreadsTable', 'Arn'] });
const logGroup = JSON.stringify({ 'Fn::GetAtt': ['WebhookLogGroup', 'Arn'] });
const index = (name) => JSON.stringify({ 'Fn::Sub': `\${ThreadsTable.Arn}/index/${name}` });
const secretArn = granted['secretsmanager:GetSecretValue'] ?? [];
const expected = {
  'logs:CreateLogStream': [logGroup],
  'logs:PutLogEvents': [logGroup],
  'dynamodb:GetItem': [tableArn],
  'dynamodb:PutItem': [tableArn],
  'dynamodb:UpdateItem': [tableArn],
  // The queue API reads the page of items it found in the index.
  'dynamodb:BatchGetItem': [tableArn],
  // Only the two indexes: nothing queries the table itself, nothing scans.
  'dynamodb:Query': [index('due'), index('queue')].sort(),
  'sns:Publish': [JSON.stringify({ Ref: 'AlertsTopic' })],
  'secretsmanager:GetSecretValue': secretArn,
};
// The bot's: Lex's RecognizeText on its one alias; Bedrock's Converse (bedrock:InvokeModel) on the model in this
// region, or on the inference profile and, through it only, the model wherever the profile sends the call; the
// guardrail applied only when there is one.
const subbed = (arn) => JSON.stringify({ 'Fn::Sub': arn });
const profileArn = `arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:inference-profile/${bedrockProfile}`;
if (bot === 'lex') {
  expected['lex:RecognizeText'] = [
    subbed(`arn:\${AWS::Partition}:lex:\${AWS::Region}:\${AWS::AccountId}:bot-alias/${lexBotId}/${lexAliasId}`)];
}
if (bot === 'bedrock') {
  expected['bedrock:InvokeModel'] = (bedrockProfile
    ? [subbed(profileArn), subbed(`arn:\${AWS::Partition}:bedrock:*::foundation-model/${bedrockModel}`)]
    : [subbed(`arn:\${AWS::Partition}:bedrock:\${AWS::Region}::foundation-model/${bedrockModel}`)]).sort();
  if (guardrail) {
    expected['bedrock:ApplyGuardrail'] = [
      subbed(`arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:guardrail/${guardrail}`)];
  }
}
// A statement with a condition is one the model may use only through the inference profile.
for (const s of statements.filter((st) => st.Condition)) {
  check(bot === 'bedrock' && bedrockProfile && isDeepStrictEqual(s.Condition,
    { StringEquals: { 'bedrock:InferenceProfileArn': { 'Fn::Sub': profileArn } } }),
  `the only conditional statement lets the model be invoked through the inference profile (got ${
    JSON.stringify(s.Condition)})`);
}
for (const action of new Set([...Object.keys(expected), ...Object.keys(granted)])) {
  check(isDeepStrictEqual(granted[action], expected[action]),
    `${action} on exactly ${expected[action]?.join(', ') ?? 'nothing'} (got ${granted[action]?.join(', ') ?? 'nothing'})`);
}
const secretRead = statements.find((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
check(secretRead?.condition === 'HasPagesSecret', 'the Pages secret is readable only when one is given');
check(secretArn.length === 1 && secretArn[0].includes(':secret:' + (pagesSecret || '') + '-??????'),
  `GetSecretValue on exactly the Pages secret (got ${secretArn})`);

// Metrics: the function's Embedded Metric Format lines in its namespace, and what the dashboard and alarms read.
const stage = table.TableName?.replace(/^messenger-handover-/, '');
const namespace = `MessengerHandover/${stage}`;
check(env.HANDOVER_METRICS_NAMESPACE === namespace, `HANDOVER_METRICS_NAMESPACE is ${namespace} (got ${
  env.HANDOVER_METRICS_NAMESPACE})`);
// What the function writes: each metric with its dimension sets ([] = the total) and the values a dimension takes.
const metrics = {
  Handoffs: { sets: [['Account', 'Reason'], []] },
  PassesRefused: { sets: [['Account'], []] },
  TimeToFirstAgentReply: { sets: [['Account'], []] },
  TimeHeldByAgents: { sets: [['Account'], []] },
  UnansweredHandoffs: { sets: [['Account', 'Outcome'], ['Outcome']],
    values: { Outcome: ['alerted', 'gave_up', 'expired'] } },
  Returns: { sets: [['Account', 'Kind'], []], values: { Kind: ['done', 'released', 'expired', 'taken_back'] } },
  SatisfactionAnswers: { sets: [['Account', 'Answer'], ['Answer']], values: { Answer: ['yes', 'no'] } },
  Deliveries: { sets: [['Outcome']],
    values: { Outcome: ['ok', 'ignored', 'rejected', 'storage_error', 'busy', 'unfinished'] } },
  BotFailures: { sets: [['Account', 'Kind'], []],
    values: { Kind: ['timeout', 'error', 'throttled', 'refused', 'malformed'] } },
  BotInputTokens: { sets: [['Account']] },
  BotOutputTokens: { sets: [['Account']] },
};
// A metric read by the dashboard or an alarm, as "<namespace> <name> <dim>=<value>,... <stat>", checked against what
// is written: a name on the list, one of its dimension sets, values it takes. The HTTP API's own 5xx by ApiId too.
const apiId = 'api0000000';
const readMetric = (where, ns, name, dimensions, stat) => {
  const names = Object.keys(dimensions).sort();
  const key = `${ns} ${name} ${names.map((n) => `${n}=${dimensions[n]}`).join(',')} ${stat}`;
  if (ns === 'AWS/ApiGateway') {
    check(name === '5xx' && isDeepStrictEqual(dimensions, { ApiId: apiId }), `${where}: the HTTP API's 5xx (${key})`);
    return key;
  }
  const metric = metrics[name];
  check(ns === namespace, `${where}: namespace ${namespace} (${key})`);
  check(metric, `${where}: ${name} is a metric the function writes`);
  check(metric?.sets.some((set) => isDeepStrictEqual([...set].sort(), names)),
    `${where}: ${name} is written with dimensions [${names}] (${key})`);
  for (const n of names) {
    check(n === 'Account' || metric?.values?.[n]?.includes(dimensions[n]), `${where}: ${name} ${n}=${dimensions[n]}`);
  }
  return key;
};

// The dashboard: a JSON body once Fn::Sub has put in the region, the namespace and the API id.
const dashboards = ofType('AWS::CloudWatch::Dashboard');
check(dashboards.length === 1 && dashboards[0][1].Properties.DashboardName === table.TableName,
  `one dashboard, ${table.TableName}`);
const sub = dashboards[0]?.[1].Properties.DashboardBody?.['Fn::Sub'];
const [bodyTemplate, subVariables] = Array.isArray(sub) ? sub : [sub, {}];
check(typeof bodyTemplate === 'string', 'DashboardBody is a Fn::Sub of one string');
check(isDeepStrictEqual(subVariables, { Namespace: namespace, ApiId: { Ref: 'HttpApi' } }),
  `the dashboard's namespace and API id (got ${JSON.stringify(subVariables)})`);
const dummies = { 'AWS::Region': 'us-east-1', Namespace: namespace, ApiId: apiId };
let body;
try {
  body = JSON.parse(String(bodyTemplate).replace(/\$\{([^}]+)\}/g, (all, name) => {
    check(name in dummies, `the dashboard's placeholder \${${name}} is substituted`);
    return dummies[name];
  }));
} catch (e) {
  check(false, `the dashboard body is JSON once substituted (${e.message})`);
}
const shown = new Set();
for (const widget of body?.widgets ?? []) {
  const props = widget.properties ?? {};
  check(widget.type === 'metric' && props.region === dummies['AWS::Region'],
    `widget ${props.title}: metrics of the stack's region`);
  let previous = [];
  for (const row of props.metrics ?? []) {
    // A row: namespace, name, then dimension name/value pairs ("." repeats the row above), then options.
    const options = typeof row.at(-1) === 'object' ? row.at(-1) : {};
    const parts = (typeof row.at(-1) === 'object' ? row.slice(0, -1) : row)
      .map((v, i) => (v === '.' ? previous[i] : v));
    previous = parts;
    const [ns, name, ...pairs] = parts;
    const dimensions = Object.fromEntries(pairs.flatMap((v, i) => (i % 2 ? [] : [[v, pairs[i + 1]]])));
    shown.add(readMetric(`dashboard "${props.title}"`, ns, name, dimensions, options.stat ?? props.stat));
  }
}
const wanted = [
  `${namespace} Handoffs  Sum`, `${namespace} PassesRefused  Sum`,
  `${namespace} TimeToFirstAgentReply  p50`, `${namespace} TimeToFirstAgentReply  p90`,
  `${namespace} TimeHeldByAgents  p50`,
  ...['alerted', 'gave_up', 'expired'].map((o) => `${namespace} UnansweredHandoffs Outcome=${o} Sum`),
  `${namespace} Returns  Sum`,
  ...['yes', 'no'].map((a) => `${namespace} SatisfactionAnswers Answer=${a} Sum`),
  ...metrics.Deliveries.values.Outcome.map((o) => `${namespace} Deliveries Outcome=${o} Sum`),
  `AWS/ApiGateway 5xx ApiId=${apiId} Sum`,
  `${namespace} BotFailures  Sum`,
];
for (const metric of wanted) check(shown.has(metric), `the dashboard shows ${metric}`);

// Alarms: each notifies the alerts topic when it goes off and when it clears, and stays quiet without data.
const alarms = Object.fromEntries(ofType('AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.Properties]));
const inTemplate = (value) => (isDeepStrictEqual(value, { Ref: 'HttpApi' }) ? apiId : value);
const alarmMetrics = (where, a) => (a.Metrics ?? [{ MetricStat: {
  Metric: { Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions },
  Stat: a.Statistic, Period: a.Period } }]).filter((m) => m.MetricStat).map((m) => {
  const { Metric: metric, Stat, Period } = m.MetricStat;
  const dimensions = Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name, inTemplate(d.Value)]));
  return `${readMetric(where, metric.Namespace, metric.MetricName, dimensions, Stat)} ${Period}`;
});
for (const [id, a] of Object.entries(alarms)) {
  const topic = [{ Ref: 'AlertsTopic' }];
  check(isDeepStrictEqual(a.AlarmActions, topic) && isDeepStrictEqual(a.OKActions, topic),
    `alarm ${id} notifies AlertsTopic, going off and clearing`);
  check(a.TreatMissingData === 'notBreaching', `alarm ${id}: no data is not an alarm`);
  check(a.ComparisonOperator === 'GreaterThanOrEqualToThreshold' && a.Threshold === 1 && a.EvaluationPeriods === 1,
    `alarm ${id}: one occurrence in one period`);
}
check(isDeepStrictEqual(Object.keys(alarms).sort(),
  ['BotFailuresAlarm', 'PassesRefusedAlarm', 'UnansweredHandoffsAlarm', 'Webhook5xxAlarm']),
  `alarms on the webhook's 5xx, refused passes, unanswered handoffs (got ${Object.keys(alarms)})`);
check(isDeepStrictEqual(alarmMetrics('Webhook5xxAlarm', alarms.Webhook5xxAlarm ?? {}),
  [`AWS/ApiGateway 5xx ApiId=${apiId} Sum 300`]), 'alarm on any 5xx of this HTTP API in 5 minutes');
check(isDeepStrictEqual(alarmMetrics('BotFailuresAlarm', alarms.BotFailuresAlarm ?? {}),
  [`${namespace} BotFailures  Sum 300`]), 'alarm on any bot failure (all accounts) in 5 minutes');
check(isDeepStrictEqual(alarmMetrics('PassesRefusedAlarm', alarms.PassesRefusedAlarm ?? {}),
  [`${namespace} PassesRefused  Sum 300`]), 'alarm on any refused pass (all accounts) in 5 minutes');
const unanswered = alarms.UnansweredHandoffsAlarm ?? {};
check(isDeepStrictEqual(alarmMetrics('UnansweredHandoffsAlarm', unanswered).sort(), [
  `${namespace} UnansweredHandoffs Outcome=expired Sum 900`,
  `${namespace} UnansweredHandoffs Outcome=gave_up Sum 900`]),
  'alarm on unanswered handoffs given up on or expired (all accounts) in 15 minutes');
const returned = (unanswered.Metrics ?? []).filter((m) => m.ReturnData !== false);
const ids = (unanswered.Metrics ?? []).filter((m) => m.MetricStat).map((m) => m.Id);
check(returned.length === 1 && ids.length === 2 && ids.every((i) => returned[0].Expression?.includes(i)),
  `the unanswered alarm adds both outcomes in one expression (got ${JSON.stringify(returned)})`);

const text = JSON.stringify(template);
check(!/sample-app-secret|sample-page-token|dev-app-secret|test-app-secret/.test(text), 'no known test secret in the template');

if (failures.length) {
  console.error(`serverless.yml (${variant}): ${failures.length} check(s) failed:\n  - ${failures.join('\n  - ')}`);
  process.exit(1);
}
console.log(`serverless.yml (${variant}): template checks passed`);
