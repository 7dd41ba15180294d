import React from 'react';

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

export interface ChannelIconProps {
  svg: string;
  color: string;
  label: string;
}

/**
 * Draws the channel's SVG in the given color. The markup comes from configuration that
 * admins can change at runtime, so it is shown as an image: an SVG inside <img> cannot
 * run script or reach the page.
 */
export function ChannelIcon({ svg, color, label }: ChannelIconProps): JSX.Element {
  return <img src={svgDataUri(svg, color)} alt={label} width={24} height={24} style={{ display: 'block' }} />;
}

export function svgDataUri(svg: string, color: string): string {
  const colored = svg.replace(/currentColor/g, color);
  // An <img> only renders SVG that declares its namespace.
  const namespaced = colored.includes(SVG_NAMESPACE) ? colored : colored.replace(/<svg\b/, `<svg xmlns="${SVG_NAMESPACE}"`);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(namespaced)}`;
}
