import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** An author key as the API shows it: the 64-hex keyed hash of a person. */
@Injectable()
export class AuthorKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{64}$/.test(value))
      throw new BadRequestException('authorKey is the 64-hex key the API shows for a verbatim');
    return value;
  }
}
