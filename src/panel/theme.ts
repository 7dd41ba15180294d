/** The Paste design tokens of Flex's theme that the panel uses; Flex sets them per light or dark theme. */
interface FlexTokens {
  backgroundColors: { colorBackgroundBody: string };
  textColors: { colorText: string; colorTextWeak: string; colorTextError: string };
  borderColors: { colorBorderWeaker: string };
  spacings: { space20: string; space30: string; space40: string };
  radii: { borderRadius20: string };
  fontSizes: { fontSize20: string; fontSize30: string; fontSize40: string };
  fontWeights: { fontWeightSemibold: string };
}

/** Flex passes its theme to Emotion's ThemeProvider; Emotion's own Theme type is empty. */
export function tokens({ theme }: { theme: object }): FlexTokens {
  return (theme as { tokens: FlexTokens }).tokens;
}
