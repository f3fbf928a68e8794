import { deflateSync, crc32 } from 'node:zlib';
import { z } from 'zod';

/** The Teams manifest schema version this package declares. */
export const MANIFEST_VERSION = '1.17';

/** Encodes an RGBA image as PNG (what Teams wants for its two icons). */
export function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Buffer {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0;
    for (let x = 0; x < width; x++) rows.set(pixel(x, y), y * (width * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG's header. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The colour icon: the programme's green with a white gear-like block; the outline: white on transparent. */
export function icons(): { color: Buffer; outline: Buffer } {
  const green: [number, number, number, number] = [0x1b, 0x7a, 0x3d, 255];
  const white: [number, number, number, number] = [255, 255, 255, 255];
  const clear: [number, number, number, number] = [0, 0, 0, 0];
  const color = encodePng(192, 192, (x, y) => {
    const inBlock = x >= 56 && x < 136 && y >= 56 && y < 136 && !(x >= 80 && x < 112 && y >= 80 && y < 112);
    return inBlock ? white : green;
  });
  const outline = encodePng(32, 32, (x, y) => {
    const edge = (x >= 6 && x < 26 && (y === 6 || y === 25)) || (y >= 6 && y < 26 && (x === 6 || x === 25));
    return edge ? white : clear;
  });
  return { color, outline };
}

const Guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const HttpsUrl = z.string().regex(/^https:\/\//);

/** The parts of the Teams manifest schema 1.17 this package uses, with the schema's limits. */
export const ManifestSchema = z.strictObject({
  $schema: z.literal(
    `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
  ),
  manifestVersion: z.literal(MANIFEST_VERSION),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  id: Guid,
  developer: z.strictObject({
    name: z.string().min(1).max(32),
    websiteUrl: HttpsUrl,
    privacyUrl: HttpsUrl,
    termsOfUseUrl: HttpsUrl,
  }),
  name: z.strictObject({ short: z.string().min(1).max(30), full: z.string().max(100) }),
  description: z.strictObject({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.strictObject({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  bots: z
    .array(
      z.strictObject({
        botId: Guid,
        scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
        supportsFiles: z.boolean(),
        isNotificationOnly: z.boolean(),
        commandLists: z
          .array(
            z.strictObject({
              scopes: z.array(z.enum(['personal', 'team', 'groupChat'])),
              commands: z
                .array(z.strictObject({ title: z.string().max(32), description: z.string().max(128) }))
                .max(10),
            }),
          )
          .max(3),
      }),
    )
    .length(1),
  staticTabs: z
    .array(
      z.strictObject({
        entityId: z.string().max(64),
        name: z.string().max(128),
        contentUrl: HttpsUrl,
        websiteUrl: HttpsUrl,
        scopes: z.array(z.literal('personal')),
      }),
    )
    .max(16),
  permissions: z.array(z.enum(['identity', 'messageTeamMembers'])),
  validDomains: z.array(z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i)),
  webApplicationInfo: z.strictObject({ id: Guid, resource: z.string().regex(/^api:\/\//) }),
});

/** The manifest for this deployment: the bot, the officers' tab, and SSO for the tab. */
export function buildManifest(options: {
  appId: string;
  baseUrl: string;
  version?: string;
}): z.infer<typeof ManifestSchema> {
  const base = options.baseUrl.replace(/\/$/, '');
  const host = new URL(base).host;
  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: options.version ?? '1.0.0',
    id: options.appId,
    developer: {
      name: 'Sở Công Thương',
      websiteUrl: base,
      privacyUrl: `${base}/privacy`,
      termsOfUseUrl: `${base}/terms`,
    },
    name: { short: 'Trợ lý Khuyến công', full: 'Trợ lý Khuyến công cho cán bộ Sở Công Thương' },
    description: {
      short: 'Hỏi đáp khuyến công có nguồn, thông báo đăng ký mới',
      full: 'Trả lời câu hỏi về chương trình khuyến công từ cơ sở tri thức có trích nguồn, thông báo khi cơ sở điền trước bản đăng ký, danh sách và chi tiết đăng ký, câu hỏi chưa trả lời được.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#1B7A3D',
    bots: [
      {
        botId: options.appId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            scopes: ['personal', 'team', 'groupChat'],
            commands: [
              { title: 'danh sách đăng ký', description: '10 đăng ký mới nhất, có thể thêm tỉnh hoặc lĩnh vực' },
              { title: 'chi tiết', description: 'Chi tiết một đăng ký: chi tiết KC-2026-000123' },
              { title: 'nhận thông báo đăng ký', description: 'Nhận thông báo mỗi đăng ký mới (có thể thêm tỉnh)' },
              { title: 'dừng thông báo', description: 'Thôi nhận thông báo đăng ký' },
              { title: 'câu hỏi chưa trả lời', description: 'Câu hỏi mà cơ sở tri thức chưa trả lời được' },
            ],
          },
        ],
      },
    ],
    staticTabs: [
      {
        entityId: 'registrations',
        name: 'Đăng ký khuyến công',
        contentUrl: `${base}/tab`,
        websiteUrl: `${base}/tab`,
        scopes: ['personal'],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [host],
    webApplicationInfo: { id: options.appId, resource: `api://${host}/${options.appId}` },
  };
}
