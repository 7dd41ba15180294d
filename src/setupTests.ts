import '@testing-library/jest-dom';

// jsdom has no media playback; Flex UI calls these for its notification sounds.
Object.defineProperty(HTMLMediaElement.prototype, 'play', { configurable: true, value: () => Promise.resolve() });
Object.defineProperty(HTMLMediaElement.prototype, 'pause', { configurable: true, value: () => undefined });
