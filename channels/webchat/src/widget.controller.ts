import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@pasokh/common';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The widget is a plain script, not compiled: from the sources, whether the server runs from dist or from them.
const CANDIDATES = [join(__dirname, '..', 'widget', 'widget.js'), join(__dirname, '..', '..', '..', '..', 'channels', 'webchat', 'widget', 'widget.js')];

/** `/widget.js`: the script a site embeds to open the chat (README, "The web chat widget"). */
@ApiExcludeController()
@Controller()
export class WidgetController {
  private readonly script: string | null = readScript();

  @Public()
  @Get('widget.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  // Not content-hashed: sites embed this one URL, so a new version must reach them within minutes.
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Cross-Origin-Resource-Policy', 'cross-origin')
  widget(): string {
    if (!this.script) throw new NotFoundException('the widget script is missing from this build');
    return this.script;
  }
}

function readScript(): string | null {
  const path = CANDIDATES.find((candidate) => existsSync(candidate));
  return path ? readFileSync(path, 'utf8') : null;
}
