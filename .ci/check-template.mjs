// Checks the CloudFormation template that `serverless package` wrote for one variant (native or jvm):
// the deployment promises README makes, checked on what would actually be deployed.
// Usage: node .ci/check-template.mjs <native|jvm> [.serverless/cloudformation-template-update-stack.json]
import { readFileSync } from 'node:fs';

const variant = process.argv[2];
const file = process.argv[3] ?? '.serverless/cloudformation-template-update-stack.json';
const template = JSON.parse(readFileSync(file, 'utf8'));
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
  check(fn.Handler === 'io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest', 'jvm handler');
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
check(env.DISABLE_SIGNAL_HANDLERS === 'true', 'DISABLE_SIGNAL_HANDLERS=true');
check(env.HANDOVER_CREATE_TABLE === 'false', 'the table is never created at run time in AWS');
check(JSON.stringify(env.HANDOVER_TABLE) === JSON.stringify({ Ref: 'ThreadsTable' }), 'table name passed to the function');
for (const secret of ['MESSENGER_APP_SECRET', 'MESSENGER_PAGE_ACCESS_TOKEN', 'MESSENGER_VERIFY_TOKEN', 'HANDOVER_ADMIN_API_KEY']) {
  check(typeof env[secret] === 'string' && env[secret].startsWith('{{resolve:secretsmanager:'),
    `${secret} resolved from Secrets Manager at deploy time, never a literal`);
}
for (const key of ['MESSENGER_APP_ID', 'MESSENGER_PAGE_INBOX_APP_ID', 'MESSENGER_GRAPH_API_VERSION']) {
  check(key in env, `${key} set`);
}

// The key schema and TTL attribute must be the ones the code writes: read them from the store's source.
const store = readFileSync('src/main/java/dev/messengerhandover/store/ThreadStore.java', 'utf8');
const constant = (name) => store.match(new RegExp(`static final String ${name} = "([^"]+)"`))?.[1];
const [pk, sk, ttl] = ['PK', 'SK', 'TTL_ATTRIBUTE'].map(constant);
check(pk && sk && ttl, 'key and TTL attribute names found in ThreadStore.java');
const table = one('AWS::DynamoDB::Table').Properties;
check(table.BillingMode === 'PAY_PER_REQUEST', 'on-demand table');
check(JSON.stringify(table.KeySchema) === JSON.stringify([
  { AttributeName: pk, KeyType: 'HASH' }, { AttributeName: sk, KeyType: 'RANGE' }]), `key schema ${pk}/${sk}`);
check(JSON.stringify(table.AttributeDefinitions) === JSON.stringify([
  { AttributeName: pk, AttributeType: 'S' }, { AttributeName: sk, AttributeType: 'S' }]), 'string keys');
check(table.TimeToLiveSpecification?.AttributeName === ttl && table.TimeToLiveSpecification?.Enabled === true,
  `TTL on ${ttl}`);
check(table.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true, 'point-in-time recovery on');
check(table.DeletionProtectionEnabled === true, 'deletion protection on by default');

const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey).sort();
check(JSON.stringify(routes) === JSON.stringify([
  'GET /threads/{pageId}/{userId}', 'GET /webhook', 'POST /threads/{pageId}/{userId}/take', 'POST /webhook']),
  `routes (got ${routes})`);

const logs = one('AWS::Logs::LogGroup').Properties;
check(Number.isInteger(logs.RetentionInDays), 'log retention set');

// Least privilege: one role, only the calls the code makes, only on this function's log group and table.
const roles = ofType('AWS::IAM::Role');
check(roles.length === 1, `one IAM role (found ${roles.length})`);
const statements = roles.flatMap(([, r]) => r.Properties.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
for (const s of statements) {
  const actions = [s.Action].flat();
  check(s.Effect === 'Allow', 'allow statements only');
  check(actions.every((a) => !a.includes('*')), `no wildcard action (${actions})`);
  check(!JSON.stringify(s.Resource).includes('"*"'), `no wildcard resource (${JSON.stringify(s.Resource)})`);
}
const allowed = statements.flatMap((s) => [s.Action].flat()).sort();
check(JSON.stringify(allowed) === JSON.stringify([
  'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'logs:CreateLogStream', 'logs:PutLogEvents']),
  `exactly the actions the function uses (got ${allowed})`);
const dynamo = statements.find((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
check(JSON.stringify(dynamo?.Resource) === JSON.stringify({ 'Fn::GetAtt': ['ThreadsTable', 'Arn'] }), 'DynamoDB on the table only');

const text = JSON.stringify(template);
check(!/sample-app-secret|sample-page-token|dev-app-secret|test-app-secret/.test(text), 'no known test secret in the template');

if (failures.length) {
  console.error(`serverless.yml (${variant}): ${failures.length} check(s) failed:\n  - ${failures.join('\n  - ')}`);
  process.exit(1);
}
console.log(`serverless.yml (${variant}): template checks passed`);
