import styled from '@emotion/styled';
import { tokens } from './theme';

/** The brand color marks the panel's edge; everything else follows Flex's theme. */
export const Panel = styled.section<{ brandColor: string }>`
  margin: ${(props) => tokens(props).spacings.space40};
  padding: ${(props) => tokens(props).spacings.space40};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-left: 4px solid ${(props) => props.brandColor};
  border-radius: ${(props) => tokens(props).radii.borderRadius20};
  background-color: ${(props) => tokens(props).backgroundColors.colorBackgroundBody};
  color: ${(props) => tokens(props).textColors.colorText};
  font-size: ${(props) => tokens(props).fontSizes.fontSize30};
`;

export const Header = styled.header`
  display: flex;
  align-items: center;
  gap: ${(props) => tokens(props).spacings.space30};
`;

export const ChannelName = styled.h2`
  margin: 0;
  font-size: ${(props) => tokens(props).fontSizes.fontSize40};
  font-weight: ${(props) => tokens(props).fontWeights.fontWeightSemibold};
`;

export const SectionTitle = styled.h3`
  margin: ${(props) => `${tokens(props).spacings.space40} 0 ${tokens(props).spacings.space20}`};
  font-size: ${(props) => tokens(props).fontSizes.fontSize20};
  font-weight: ${(props) => tokens(props).fontWeights.fontWeightSemibold};
  color: ${(props) => tokens(props).textColors.colorTextWeak};
  text-transform: uppercase;
`;

export const Fields = styled.dl`
  display: grid;
  /* minmax(0, …): a long value shrinks to the panel's width instead of widening the column. */
  grid-template-columns: max-content minmax(0, 1fr);
  gap: ${(props) => `${tokens(props).spacings.space20} ${tokens(props).spacings.space40}`};
  margin: 0;
`;

export const Label = styled.dt`
  color: ${(props) => tokens(props).textColors.colorTextWeak};
`;

export const Value = styled.dd`
  min-width: 0;
  margin: 0;
`;

/** Inside the dd: Flex's own styles set a dd's display, a div of the panel's own they leave alone. */
export const ValueLine = styled.div`
  display: flex;
  align-items: baseline;
  gap: ${(props) => tokens(props).spacings.space20};
`;

/** One line cut with an ellipsis; the whole value is in its title (on hover) and the copy button. */
export const ValueText = styled.span`
  display: block;
  min-width: 0;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
`;

export const CopyButton = styled.button`
  flex: none;
  padding: 0 ${(props) => tokens(props).spacings.space20};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: ${(props) => tokens(props).radii.borderRadius20};
  background: none;
  color: inherit;
  font: inherit;
  font-size: ${(props) => tokens(props).fontSizes.fontSize20};
  cursor: pointer;
`;

export const Capability = styled.p`
  margin: 0;
`;
