import type { StoredSurvey, SurveyRecords } from '../surveys.js';
import type { RedisClient } from './redis-connection.js';

/**
 * Key layout, under S = `<prefix>:{surveys}` (one hash tag: a cluster runs each script on one
 * slot; surveys are few and short-lived):
 *   S:item:<sessionId>             hash: revision, state, body (the survey as JSON)
 *   S:open                         sorted set of asking (scored by deadline) and writing (scored 0) sessions
 *   S:closed                       sorted set of closed sessions, scored by when closed
 *   S:customer:<channel>:<id>      set of the customer's sessions with a survey
 */
const SCRIPTS = {
  /** ARGV: sessionId, expected revision ('' to create), state, deadline, channelType, customerId, body. */
  surveyPut: `
local base, id, expected, state, deadline = KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local item = base .. ':item:' .. id
local current = redis.call('HGET', item, 'revision')
if expected == '' then
  if current then return 0 end
  current = -1
elseif current ~= expected then
  return 0
end
redis.call('HSET', item, 'revision', tonumber(current) + 1, 'state', state, 'body', ARGV[7])
redis.call('SADD', base .. ':customer:' .. ARGV[5] .. ':' .. ARGV[6], id)
if state == 'closed' then
  redis.call('ZREM', base .. ':open', id)
  redis.call('ZADD', base .. ':closed', deadline, id)
else
  redis.call('ZADD', base .. ':open', state == 'asking' and deadline or 0, id)
end
return 1
`,
  /** ARGV: channelType, customerId. */
  surveysForget: `
local base = KEYS[1]
local customer = base .. ':customer:' .. ARGV[1] .. ':' .. ARGV[2]
local ids = redis.call('SMEMBERS', customer)
for _, id in ipairs(ids) do
  redis.call('DEL', base .. ':item:' .. id)
  redis.call('ZREM', base .. ':open', id)
  redis.call('ZREM', base .. ':closed', id)
end
redis.call('DEL', customer)
return #ids
`,
  /** ARGV: closed before. */
  surveysPrune: `
local base = KEYS[1]
local ids = redis.call('ZRANGEBYSCORE', base .. ':closed', '-inf', '(' .. ARGV[1])
for _, id in ipairs(ids) do
  local body = redis.call('HGET', base .. ':item:' .. id, 'body')
  if body then
    local survey = cjson.decode(body)
    redis.call('SREM', base .. ':customer:' .. survey.channelType .. ':' .. survey.customerId, id)
  end
  redis.call('DEL', base .. ':item:' .. id)
  redis.call('ZREM', base .. ':closed', id)
end
return #ids
`,
} as const;

type Command = (...args: Array<string | number>) => Promise<unknown>;

/** The surveys in Redis, shared by every instance: whichever instance gets the customer's answer finds where the survey is. */
export function redisSurveyRecords(redis: RedisClient, prefix: string): SurveyRecords {
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  const commands = redis as unknown as Record<keyof typeof SCRIPTS, Command>;
  const base = `${prefix}:{surveys}`;
  const put = async (survey: StoredSurvey, expected: string, revision: number) =>
    Number(
      await commands.surveyPut(
        base,
        survey.sessionId,
        expected,
        survey.state,
        survey.deadline,
        survey.channelType,
        survey.customerId,
        JSON.stringify({ ...survey, revision }),
      ),
    ) === 1;
  const get = async (sessionId: string): Promise<StoredSurvey | undefined> => {
    const body = await redis.hget(`${base}:item:${sessionId}`, 'body');
    return body ? (JSON.parse(body) as StoredSurvey) : undefined;
  };
  const getAll = async (ids: string[]) => (await Promise.all(ids.map(get))).filter((survey): survey is StoredSurvey => survey !== undefined);

  return {
    async createSurvey(survey) {
      return put(survey, '', 0);
    },
    getSurvey: get,
    async findLatestSurvey(channelType, customerId) {
      const surveys = await getAll(await redis.smembers(`${base}:customer:${channelType}:${customerId}`));
      return surveys.sort((a, b) => b.startedAt - a.startedAt)[0];
    },
    async updateSurvey(survey, revision) {
      return put(survey, String(revision), revision + 1);
    },
    async listDueSurveys(now, limit) {
      return getAll(await redis.zrangebyscore(`${base}:open`, '-inf', now, 'LIMIT', 0, limit));
    },
    async forgetCustomerSurveys(channelType, customerId) {
      return Number(await commands.surveysForget(base, channelType, customerId));
    },
    async pruneClosedSurveys(closedBefore) {
      return Number(await commands.surveysPrune(base, closedBefore));
    },
  };
}
