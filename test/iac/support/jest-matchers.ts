import { Testing } from '../../../constructs/framework';
// Types of cdktf's jest matchers (a global `jest.Matchers` augmentation).
import type {} from 'cdktf/lib/testing/adapters/jest';

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource…
Testing.setupJest();
