import React, { useState } from 'react';
import { fillTemplate, type AgentApi, type OfferedTemplate } from './api';
import { Control, Field, Popover, Preview, Problem } from './RichMessageControl.styles';

export interface RichMessageControlProps {
  /** Given by Flex: the message input's props reach the components added to it. */
  conversationSid?: string;
  channelType: string;
  channelName: string;
  api: AgentApi;
}

/**
 * The rich message control of the message input: lists the Content templates the channel
 * offers (from the middleware), a field per variable with the template's default, the message
 * as the customer's text form previews it, and sends it through the middleware as the agent.
 */
export function RichMessageControl({ conversationSid, channelType, channelName, api }: RichMessageControlProps): JSX.Element {
  const [templates, setTemplates] = useState<OfferedTemplate[] | undefined>();
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<OfferedTemplate | undefined>();
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState('');

  const toggle = () => {
    setOpen(!open);
    setProblem('');
    if (!open && templates === undefined) {
      api.templates(channelType).then(setTemplates, (error: Error) => setProblem(`Templates not available: ${error.message}`));
    }
  };
  const choose = (sid: string) => {
    const template = templates?.find((t) => t.sid === sid);
    setChosen(template);
    setValues(template ? { ...template.variables } : {});
  };
  const send = () => {
    if (!chosen || !conversationSid) return;
    api.send({ conversationSid, contentSid: chosen.sid, variables: values }).then(
      () => {
        setOpen(false);
        setChosen(undefined);
      },
      (error: Error) => setProblem(`Not sent: ${error.message}`),
    );
  };

  return (
    <Control className="CustomChannels-RichMessageControl">
      <button type="button" aria-label={`Rich message to ${channelName}`} title={`Rich message to ${channelName}`} aria-expanded={open} onClick={toggle}>
        ☰
      </button>
      {open && (
        <Popover role="dialog" aria-label="Rich message">
          {problem && <Problem role="alert">{problem}</Problem>}
          {templates?.length === 0 && <Problem>No rich messages are offered for {channelName}.</Problem>}
          {templates && templates.length > 0 && (
            <Field>
              Template
              <select value={chosen?.sid ?? ''} onChange={(event) => choose(event.target.value)}>
                <option value="">Choose…</option>
                {templates.map((t) => (
                  <option key={t.sid} value={t.sid}>
                    {t.friendlyName || t.sid}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {chosen &&
            Object.keys(chosen.variables).map((name) => (
              <Field key={name}>
                {`Variable ${name}`}
                <input value={values[name] ?? ''} onChange={(event) => setValues({ ...values, [name]: event.target.value })} />
              </Field>
            ))}
          {chosen && (
            <>
              <Preview data-testid="custom-channels-rich-preview">{fillTemplate(chosen.textTemplate, values)}</Preview>
              <button type="button" onClick={send} disabled={!conversationSid}>
                Send rich message
              </button>
            </>
          )}
        </Popover>
      )}
    </Control>
  );
}
