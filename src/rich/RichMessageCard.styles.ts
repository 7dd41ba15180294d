import styled from '@emotion/styled';
import { tokens } from '../panel/theme';

export const Card = styled.div`
  display: grid;
  gap: ${(props) => tokens(props).spacings.space20};
  margin-top: ${(props) => tokens(props).spacings.space20};
  padding: ${(props) => tokens(props).spacings.space30};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: ${(props) => tokens(props).radii.borderRadius20};
  background-color: ${(props) => tokens(props).backgroundColors.colorBackgroundBody};
  color: ${(props) => tokens(props).textColors.colorText};
  font-size: ${(props) => tokens(props).fontSizes.fontSize30};
  white-space: pre-wrap;
`;

export const Title = styled.strong`
  font-weight: ${(props) => tokens(props).fontWeights.fontWeightSemibold};
`;

export const Note = styled.span`
  color: ${(props) => tokens(props).textColors.colorTextWeak};
  font-size: ${(props) => tokens(props).fontSizes.fontSize20};
`;

export const Options = styled.ul`
  display: flex;
  flex-wrap: wrap;
  gap: ${(props) => tokens(props).spacings.space20};
  margin: 0;
  padding: 0;
  list-style: none;
`;

/** An option as the customer sees it: a pill, not a button (the agent does not tap it). */
export const Chip = styled.li`
  padding: ${(props) => `${tokens(props).spacings.space20} ${tokens(props).spacings.space30}`};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: 999px;
`;

export const Selected = styled.span`
  display: inline-flex;
  gap: ${(props) => tokens(props).spacings.space20};
  align-items: baseline;
  padding: ${(props) => `${tokens(props).spacings.space20} ${tokens(props).spacings.space30}`};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: 999px;
  color: ${(props) => tokens(props).textColors.colorText};
  font-size: ${(props) => tokens(props).fontSizes.fontSize30};
`;
