import styled from '@emotion/styled';
import { tokens } from '../panel/theme';

/** Anchors the panel under the header's button. */
export const Anchor = styled.div`
  position: relative;
  display: flex;
  align-items: center;
`;

export const HeaderButton = styled.button`
  padding: ${(props) => `${tokens(props).spacings.space20} ${tokens(props).spacings.space30}`};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: ${(props) => tokens(props).radii.borderRadius20};
  background: transparent;
  color: inherit;
  font-size: ${(props) => tokens(props).fontSizes.fontSize30};
  cursor: pointer;
`;

export const Dialog = styled.form`
  position: absolute;
  top: 100%;
  right: 0;
  z-index: 10;
  display: grid;
  gap: ${(props) => tokens(props).spacings.space30};
  width: 22rem;
  padding: ${(props) => tokens(props).spacings.space40};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: ${(props) => tokens(props).radii.borderRadius20};
  background-color: ${(props) => tokens(props).backgroundColors.colorBackgroundBody};
  color: ${(props) => tokens(props).textColors.colorText};
  font-size: ${(props) => tokens(props).fontSizes.fontSize30};
`;

export const DialogTitle = styled.h2`
  margin: 0;
  font-size: ${(props) => tokens(props).fontSizes.fontSize40};
  font-weight: ${(props) => tokens(props).fontWeights.fontWeightSemibold};
`;

export const Field = styled.label`
  display: grid;
  gap: ${(props) => tokens(props).spacings.space20};
  color: ${(props) => tokens(props).textColors.colorTextWeak};
`;

export const Outcome = styled.p<{ failed: boolean }>`
  margin: 0;
  color: ${(props) => (props.failed ? tokens(props).textColors.colorTextError : tokens(props).textColors.colorText)};
`;

export const Matches = styled.ul`
  display: grid;
  gap: ${(props) => tokens(props).spacings.space20};
  max-height: 12rem;
  margin: 0;
  padding: 0;
  overflow-y: auto;
  list-style: none;
`;

export const MatchButton = styled.button`
  display: grid;
  width: 100%;
  padding: ${(props) => tokens(props).spacings.space20};
  border: 1px solid ${(props) => tokens(props).borderColors.colorBorderWeaker};
  border-radius: ${(props) => tokens(props).radii.borderRadius20};
  background: transparent;
  color: inherit;
  text-align: left;
  cursor: pointer;
  &:disabled {
    color: ${(props) => tokens(props).textColors.colorTextWeak};
    cursor: not-allowed;
  }
`;
