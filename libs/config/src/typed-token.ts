/** A DI token that names the type it provides, so factory providers are checked against it. */
export type TypedToken<T> = symbol & { readonly __provides?: T };
