// Compiles channels.schema.json into standalone validation code, so that the Flex
// plugin validates with the schema itself without shipping Ajv's compiler (~30 KB).
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;

const schemaFile = path.resolve(__dirname, '../../channels.schema.json');
const outFile = path.resolve(__dirname, '../dist/validation/compiled-schema.js');

// Descriptions and titles are for editors; the validator does not need to carry them.
const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'), (key, value) =>
  (key === 'description' || key === 'title') && typeof value === 'string' ? undefined : value,
);
const ajv = new Ajv({
  allErrors: true,
  strict: true,
  code: { source: true, lines: false },
  inlineRefs: false,
  allowUnionTypes: true,
});
ajv.addSchema(schema);
const code = standaloneCode(ajv, {
  validateChannelsFile: schema.$id,
  validateChannel: `${schema.$id}#/definitions/channel`,
});
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, code);
