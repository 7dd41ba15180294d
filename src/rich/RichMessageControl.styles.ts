import styled from '@emotion/styled';
import { tokens } from '../panel/theme';

export const Control = styled.span`
  position: relative;
  display: inline-flex;
`;

export const Popover = styled.div`
  position: absolute;
  bottom: 100%;
  left: 0;
  z-index: 10;
  width: 320px;
  padding: ${(props) => tokens(props).spacings.space40};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: ${(props) => tokens(props).radii.borderRadius20};
  background-color: ${(props) => tokens(props).backgroundColors.colorBackgroundBody};
  color: ${(props) => tokens(props).textColors.colorText};
  font-size: ${(props) => tokens(props).fontSizes.fontSize30};
`;

export const Field = styled.label`
  display: grid;
  gap: ${(props) => tokens(props).spacings.space20};
  margin-bottom: ${(props) => tokens(props).spacings.space30};
`;

export const Preview = styled.pre`
  margin: 0 0 ${(props) => tokens(props).spacings.space30};
  padding: ${(props) => tokens(props).spacings.space30};
  border-left: 3px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  white-space: pre-wrap;
  font-family: inherit;
`;

export const Problem = styled.p`
  margin: 0 0 ${(props) => tokens(props).spacings.space30};
  color: ${(props) => tokens(props).textColors.colorTextWeak};
`;
